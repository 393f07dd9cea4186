using System.Text;
using Kit.Aws.Checkpoints;

namespace Kit.Aws.Tests;

public sealed class CheckpointManifestTests
{
    [Fact]
    public void Round_trips_and_only_step_folders_manifests_count()
    {
        var c = new StoredCheckpoint(42, CheckpointManifest.FolderFor(42), new DateTime(2026, 11, 21, 0, 0, 0, DateTimeKind.Utc),
            [new CheckpointFile("model.pth", 10, "ab")], "step-000000042");
        var back = CheckpointManifest.Deserialize(CheckpointManifest.Serialize(c), c.Folder, "test");
        Assert.Equal((42L, "step-000000042", "model.pth"), (back.Step, back.LocalName, back.Files[0].Path));
        Assert.Equal(42, CheckpointManifest.StepOfManifestPath("step-000000000042/kit-checkpoint.json"));
        Assert.Null(CheckpointManifest.StepOfManifestPath("step-000000000042/model.pth"));
        Assert.Null(CheckpointManifest.StepOfManifestPath("x/step-000000000042/kit-checkpoint.json"));
    }

    [Theory]
    [InlineData("..")]
    [InlineData("../../etc")]
    [InlineData("")]
    public void A_manifest_cannot_send_a_download_outside_the_local_root(string localName)
    {
        var json = Encoding.UTF8.GetBytes($$"""{"format":1,"step":1,"createdUtc":"2026-11-21T00:00:00Z","files":[],"localName":"{{localName}}"}""");
        Assert.Throws<InvalidDataException>(() => CheckpointManifest.Deserialize(json, "step-000000000001", "test"));
    }
}
