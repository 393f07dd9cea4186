using Microsoft.DotNet.Interactive.Formatting;

namespace Kit.TestSupport;

/// <summary>
/// Hears what the kernel hears: the Formatting package raises an event for every display(...) and Update it
/// formats, and the kernel turns each into an output. The event is internal (the kernel's assembly is a friend
/// of Formatting's), so it is reached by reflection.
/// </summary>
public static class KernelDisplays
{
    public static IDisposable Listen(Action<DisplayedValue> listener)
    {
        var e = typeof(Formatter).GetEvent("OnFormatterEvent", System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)
                ?? throw new InvalidOperationException("Microsoft.DotNet.Interactive.Formatting has no OnFormatterEvent: the kernel's display channel moved");
        e.AddMethod!.Invoke(null, [listener]);
        return new Unlisten(() => e.RemoveMethod!.Invoke(null, [listener]));
    }

    private sealed class Unlisten(Action undo) : IDisposable
    {
        public void Dispose() => undo();
    }
}
