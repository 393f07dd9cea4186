namespace Kit.Training.Checkpoints;

/// <summary>
/// Where files are to be written (the run folder's disk, an export destination) has less room than they need;
/// the message says how much is needed, how much is free and what to do.
/// </summary>
public sealed class InsufficientSpaceException(string message, long needed, long free) : IOException(message)
{
    public long NeededBytes { get; } = needed;
    public long FreeBytes { get; } = free;
}
