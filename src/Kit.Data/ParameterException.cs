namespace Kit.Data;

/// <summary>
/// A value the user gave that the kit cannot take: a notebook parameter, a training parameter override or
/// input, a run setting. The message names it and says why. One type, so the CLI reports every such mistake
/// the same way (exit code 2, one line). It lives here, the lowest project
/// both its users reach: Kit.Training and the notebooks' parameters (`kit run`, which must not load the trainer).
/// </summary>
public sealed class ParameterException(string message) : Exception(message);
