using Kit.Training.Checkpoints;
using Kit.TestSupport;

namespace Kit.Training.Tests.Checkpoints;

public class AtomicFileTests
{
    [Fact]
    public void Replaces_the_file_and_leaves_no_temp_files()
    {
        using var dir = new TempDir();
        var path = dir["a.json"];
        AtomicFile.WriteAllText(path, "old");
        AtomicFile.WriteAllText(path, "new");
        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal(["a.json"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void A_writer_that_fails_keeps_the_old_file_whole()
    {
        using var dir = new TempDir();
        var path = dir["a.bin"];
        AtomicFile.WriteAllBytes(path, [1, 2, 3]);
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, s =>
        {
            s.Write(new byte[1000]);
            throw new InvalidOperationException("disk gone");
        }));
        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(dir.Path));
    }
}
