namespace Kit.Training.Parameters;

/// <summary>An override or input the calculator cannot accept; the message says which value and why.</summary>
public sealed class ParameterException(string message) : Exception(message);
