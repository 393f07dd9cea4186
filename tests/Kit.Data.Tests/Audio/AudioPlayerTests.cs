using System.Text.RegularExpressions;
using Kit.Data.Audio;
using Kit.Data.Checks;
using Kit.Data.Datasets;
using Kit.Display;
using Kit.TestSupport;

namespace Kit.Data.Tests.Audio;

public sealed class AudioPlayerTests
{
    [Fact]
    public void The_player_embeds_the_wav_bytes_as_a_data_uri()
    {
        var wav = Path.Combine(SampleDatasets.Get(), "wavs", "kit-0001.wav");
        var html = AudioPlayer.FromFile(wav, "first <clip>").Render().Single(r => r.MimeType == Rendering.Html).Content;
        var match = Regex.Match(html, "<audio controls[^>]* src=\"data:audio/wav;base64,([A-Za-z0-9+/=]+)\"");
        Assert.True(match.Success, html[..Math.Min(300, html.Length)]);
        Assert.Equal(File.ReadAllBytes(wav), Convert.FromBase64String(match.Groups[1].Value));
        Assert.Contains("first &lt;clip&gt;", html);
    }

    [Fact]
    public void The_report_offers_players_for_usable_clips()
    {
        var report = DatasetCheck.Run(SampleDatasets.Get());
        var players = report.AudioPlayers(2).Render();
        Assert.Equal(2, Regex.Matches(players.Single(r => r.MimeType == Rendering.Html).Content, "<audio ").Count);
        Assert.Contains(report.UsableEntries(Split.Train).First().Audio, players.Single(r => r.MimeType == Rendering.Text).Content);
    }
}
