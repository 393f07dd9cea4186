namespace Kit.Training.Config;

/// <summary>A config file that cannot be read; the message starts with the file and line.</summary>
public sealed class ConfigFormatException(string message, Exception? inner = null) : Exception(message, inner);
