using Kit.Display.Html;
using Kit.Display.Live;

namespace Kit.Display.Tests;

public sealed class LiveAndTableTests
{
    /// <summary>The shape of the kernel's DisplayedValue (and the runner's): Update(object).</summary>
    private sealed class Handle
    {
        public List<string> Updates { get; } = [];
        public void Update(object value) => Updates.Add(Renderer.Text(value));
    }

    [Fact]
    public void A_live_display_throttles_updates_and_complete_pushes_the_final_state()
    {
        // An interval no wait can reach: every report is throttled however slow the machine (30 s assumed a fast one).
        var progress = new ProgressDisplay("training", 1000) { MinInterval = TimeSpan.MaxValue };
        var handle = progress.Bind(new Handle());
        for (var i = 1; i <= 1000; i++) progress.Report(i, ("loss", 1.0 / i));
        Assert.Empty(handle.Updates);
        progress.Complete();
        Assert.StartsWith("training: 1000/1000 (100%) loss=0.001", Assert.Single(handle.Updates));

        var fast = new LiveChart("loss") { MinInterval = TimeSpan.Zero };
        var h2 = fast.Bind(new Handle());
        fast.Append("train", 0, 2);
        fast.Append("train", 1, 1);
        Assert.Equal(2, h2.Updates.Count);
        Assert.Contains("train: 2 points", h2.Updates[^1]);
    }

    [Fact]
    public void Binding_something_without_update_says_what_to_pass()
    {
        var e = Assert.Throws<ArgumentException>(() => new ProgressDisplay("x", 1).Bind("not a handle"));
        Assert.Contains("display(...)", e.Message);
    }

    private sealed record Clip(string Id, double Seconds, int Rate);

    [Fact]
    public void Tables_render_encoded_html_and_aligned_text()
    {
        var t = Table.FromItems([new Clip("LJ001", 1.23456789, 22050), new Clip("<b>", 10, 16000)], "clips");
        var html = t.Render().Single(r => r.MimeType == Rendering.Html).Content;
        Assert.Contains("<caption>clips</caption>", html);
        Assert.Contains("<td>&lt;b&gt;</td>", html);
        Assert.Contains("<td>1.23457</td>", html);
        var lines = t.ToString().Split('\n');
        Assert.Equal(["clips", "Id     Seconds  Rate", "-----  -------  -----", "LJ001  1.23457  22050", "<b>    10       16000"], lines);
    }

    [Fact]
    public void The_renderer_shows_strings_as_text_and_sequences_of_records_as_tables()
    {
        Assert.Equal(Rendering.Text, Assert.Single(Renderer.Render("<b>")).MimeType);
        Assert.Contains(Renderer.Render(new[] { new Clip("a", 1, 2) }), r => r.MimeType == Rendering.Html && r.Content.Contains("<th>Rate</th>"));
        Assert.Equal("42", Assert.Single(Renderer.Render(42)).Content);
    }
}
