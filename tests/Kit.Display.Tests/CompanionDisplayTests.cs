using Kit.TestSupport;
using Kit.Display.Live;
using Microsoft.DotNet.Interactive.Formatting;

namespace Kit.Display.Tests;

/// <summary>
/// A live display's companion output (the training view's samples) made with the kernel's own display(...),
/// found by name beside the handle: checked with the real Microsoft.DotNet.Interactive.Formatting, whose
/// formatter events are what the kernel turns into outputs.
/// </summary>
public sealed class CompanionDisplayTests
{
    private sealed class WithCompanion : LiveDisplay
    {
        public ProgressDisplay Companion { get; } = new("part", 10) { MinInterval = TimeSpan.Zero };
        public bool Beside { get; private set; }
        protected override void OnBound(object handle) => Beside = ShowBeside(handle, Companion);
        public override IReadOnlyList<Rendering> Render() => [new(Rendering.Html, "<b>main</b>"), new(Rendering.Text, "main")];
    }

    private sealed class ForeignHandle
    {
        public void Update(object value) { }
    }

    [Fact]
    public void The_companion_gets_an_output_of_its_own_from_the_kernels_display_and_none_from_a_foreign_handle()
    {
        var events = new List<DisplayedValue>();
        Action<DisplayedValue> listen = e => { lock (events) events.Add(e); };
        var live = new WithCompanion();
        using (KernelDisplays.Listen(listen))
        {
            live.Bind(DisplayExtensions.Display(live));
            live.Companion.Report(4);
            live.Companion.Complete();
        }

        Assert.True(live.Beside);
        List<DisplayedValue> companion;
        lock (events) companion = events.Where(e => ReferenceEquals(e.Value, live.Companion)).ToList();
        Assert.Equal([false, true, true], companion.Select(e => e.IsUpdated));
        Assert.Equal([Rendering.Html, Rendering.Text], companion[0].FormattedValues.Select(f => f.MimeType));
        Assert.StartsWith("part: 4/10", companion[^1].FormattedValues.Single(f => f.MimeType == Rendering.Text).Value);
        // The main display's own output is untouched by the companion's updates.
        lock (events) Assert.Single(events, e => ReferenceEquals(e.Value, live));

        var foreign = new WithCompanion();
        foreign.Bind(new ForeignHandle());
        Assert.False(foreign.Beside);
    }
}
