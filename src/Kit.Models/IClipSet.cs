namespace Kit.Models;

/// <summary>A split's clips held in memory for the run, measured in log-mel frames.</summary>
public interface IClipSet : IDisposable
{
    IReadOnlyList<long> FrameCounts { get; }
    int Count { get; }
}
