using Kit.Data;
using Kit.Training.Parameters;

namespace Kit.Training.Tests.Parameters;

public class KitProfileTests
{
    private static ParameterSet Kit(DatasetStats stats, string memory = "16GB", params string[] set) =>
        ParameterCalculator.Calculate(stats, new CalculatorOptions
        {
            Profile = "kit", DetectGpu = false, GpuMemory = GpuMemory.Parse(memory), Overrides = ParameterOverrides.Parse(set),
        });

    [Fact]
    public void Never_drops_a_clip_over_many_dataset_sizes_clip_lengths_and_memories()
    {
        var rng = new Random(20261121);
        var sizes = Enumerable.Range(2, 300).Concat(Enumerable.Range(0, 60).Select(_ => rng.Next(301, 40_000))).ToArray();
        foreach (var n in sizes)
        {
            var seconds = 1 + rng.NextDouble() * 14;
            var memory = new[] { "8GB", "12GB", "16GB", "24GB", "40GB", "80GB" }[rng.Next(6)];
            var withVal = rng.Next(2) == 0;
            var stats = DatasetStats.Uniform(n, withVal ? Math.Max(1, n / 10) : 0, seconds, rng.Next(10, 250));
            var set = Kit(stats, memory);
            var p = set.Values;
            var at = $"{n} clips of {seconds:0.0} s, {memory}, val list {withVal}: TrainBS {p.TrainBS}, {set.StepsPerEpoch} steps";
            // Every training clip is in a batch each epoch, and no step is empty.
            Assert.True(p.TrainBS * set.StepsPerEpoch >= set.TrainClips.Count, at);
            Assert.True((set.StepsPerEpoch - 1) * p.TrainBS < set.TrainClips.Count, at);
            Assert.Equal(0, set.ClipsLeftOutPerEpoch);
            Assert.Empty(set.WarningsFor("uneven-batch"));
            // Every usable clip is used for training or validation, none twice.
            if (!withVal)
            {
                Assert.Equal(n, set.TrainClips.Count + set.ValClips.Count);
                Assert.Equal(n, set.TrainClips.Concat(set.ValClips).Select(c => c.Id).Distinct().Count());
            }
            Assert.InRange(p.TrainBS, 1, Math.Min(64, set.TrainClips.Count));
            Assert.InRange(p.ValBS, 1, set.ValClips.Count);
            Assert.True(set.MaxMicroBatch == 0 || (p.TrainBS + p.MegaBatchFactor - 1) / p.MegaBatchFactor <= set.MaxMicroBatch, at);
            Assert.True(p.WarmupSteps >= 1 && p.WarmupSteps < p.LRDecaySteps[0], at);
            Assert.True(p.TotalSteps >= p.LRDecaySteps[3], at);
        }
    }

    [Fact]
    public void A_divisor_is_preferred_and_the_reason_says_so()
    {
        // 1,200 clips of 6.5 s in 80 GB: no memory bound; divisors of 1,200 from 48 to 64: 48, 50, 60 → 60.
        var set = Kit(DatasetStats.Uniform(1_200, 120), "80GB");
        Assert.Equal(60, set.Values.TrainBS);
        Assert.Equal(1, set.Values.MegaBatchFactor);
        Assert.Contains("largest divisor of 1,200 clips", set["TrainBS"].Reason);
        Assert.Equal(20, set.StepsPerEpoch);
    }

    [Fact]
    public void Memory_bounds_the_pass_and_accumulation_keeps_the_batch()
    {
        // 12 s clips with 200-character texts in 12 GB: the estimate allows few clips per pass.
        var stats = DatasetStats.Uniform(1_200, 120, seconds: 12, textLength: 200);
        var model = GptMemoryModel.TortoiseGpt;
        var perPass = model.MaxMicroBatch(12_000_000_000, 12, 200, fp16: false);
        Assert.InRange(perPass, 1, 63);
        var set = Kit(stats, "12GB");
        Assert.Equal((64 + perPass - 1) / perPass, set.Values.MegaBatchFactor);
        Assert.True((set.Values.TrainBS + set.Values.MegaBatchFactor - 1) / set.Values.MegaBatchFactor <= perPass);
        Assert.Contains("11.2 GiB", set["TrainBS"].Reason); // 12e9 bytes
        Assert.Empty(set.WarningsFor("memory"));
    }

    [Fact]
    public void Memory_estimate_matches_the_examples_note()
    {
        // EXAMPLE_gpt.yml: batch 128 with mega_batch_factor 4 (32 clips per pass) ≈ 16 GB on a 3090.
        var m = GptMemoryModel.TortoiseGpt;
        var gb = (m.FixedBytes + 32 * m.BytesPerSample(255_995 / 22_050.0, 200, false)) / 1e9;
        Assert.InRange(gb, 12, 20);
        Assert.True(m.BytesPerSample(11, 200, false) > m.BytesPerSample(5, 200, false));
        Assert.True(m.BytesPerSample(11, 200, true) < m.BytesPerSample(11, 200, false));
    }

    [Fact]
    public void A_model_that_does_not_fit_warns()
    {
        var set = Kit(DatasetStats.Uniform(300, 30), "6GB");
        Assert.Contains("does not fit", Assert.Single(set.WarningsFor("memory")).Message);
    }

    [Fact]
    public void Validation_is_carved_with_a_fixed_seed_and_reported()
    {
        var stats = DatasetStats.Uniform(500, 0);
        var a = Kit(stats);
        var b = Kit(stats with { Train = stats.Train.Reverse().ToArray() }); // list order does not matter
        var c = Kit(stats, set: "Seed=99");
        Assert.Equal(ValidationSource.Carved, a.ValidationSource);
        Assert.Equal(50, a.ValClips.Count); // 10 % of 500
        Assert.Equal(450, a.TrainClips.Count);
        Assert.Equal(a.ValClips.Select(x => x.Id), b.ValClips.Select(x => x.Id));
        Assert.NotEqual(a.ValClips.Select(x => x.Id), c.ValClips.Select(x => x.Id));
        var warning = Assert.Single(a.WarningsFor("carved-validation"));
        Assert.All(a.ValClips, clip => Assert.Contains(clip.Id, warning.Message));
        Assert.Empty(a.WarningsFor("same-file"));
    }

    [Theory]
    [InlineData(2, 1)]
    [InlineData(24, 2)]
    [InlineData(25, 3)]     // 2.5 rounds away from zero
    [InlineData(500, 50)]
    [InlineData(5_000, 100)] // capped
    public void Carve_size(int clips, int expected) => Assert.Equal(expected, ValidationCarve.CountFor(clips));

    [Fact]
    public void Same_file_validation_is_carved_and_warned()
    {
        var stats = DatasetStats.Uniform(300, 0) with { ValListPath = Path.Combine("dataset", "train.txt") };
        var set = Kit(stats);
        Assert.Equal(ValidationSource.Carved, set.ValidationSource);
        Assert.Single(set.WarningsFor("same-file"));
    }

    [Fact]
    public void A_separate_validation_list_is_used_as_is()
    {
        var set = Kit(DatasetStats.Uniform(300, 40));
        Assert.Equal(ValidationSource.List, set.ValidationSource);
        Assert.Equal((300, 40), (set.TrainClips.Count, set.ValClips.Count));
        Assert.Empty(set.WarningsFor("carved-validation"));
        Assert.Empty(set.WarningsFor("small-val"));
        Assert.Empty(set.WarningsFor("small-train"));
    }

    [Theory]
    [InlineData("16GB", 16_000_000_000)]
    [InlineData("16 gb", 16_000_000_000)]
    [InlineData("24GiB", 25_769_803_776)]
    [InlineData("81920MiB", 85_899_345_920)]
    [InlineData("40", 40_000_000_000)]
    public void Memory_sizes_parse(string text, long bytes) => Assert.Equal(bytes, GpuMemory.Parse(text).Bytes);

    [Theory]
    [InlineData("lots")]
    [InlineData("16KB")]
    [InlineData("-4GB")]
    public void Bad_memory_sizes_are_refused(string text) => Assert.Throws<ParameterException>(() => GpuMemory.Parse(text));

    [Fact]
    public void The_table_renders_names_values_reasons_and_overrides()
    {
        var set = Kit(DatasetStats.Uniform(1_200, 120), "16GB", "TrainBS=24", "Fp16=true");
        var text = set.ToText();
        var html = set.ToHtml();
        foreach (var spec in ParameterCatalog.All)
        {
            Assert.Contains(spec.Name, text);
            Assert.Contains($"<code>{spec.Name}</code>", html);
        }
        Assert.Contains("24 *", text);
        Assert.Contains("set by you", html);
        Assert.Contains("fp16-untested", text);
        Assert.Contains("<li>", html);
        Assert.Equal(["text/html", "text/plain"], set.Render().Select(r => r.MimeType));
    }
}

public class GpuDetectionTests
{
    private static string Tool(Kit.TestSupport.TempDir dir, string body)
    {
        var path = dir["nvidia-smi"];
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    [Fact]
    public void Reads_the_first_gpu_from_nvidia_smi_output()
    {
        using var dir = new Kit.TestSupport.TempDir();
        var found = GpuMemory.Detect(Tool(dir, "printf 'Tesla T4, 15360\\nTesla T4, 15360\\n'"));
        Assert.NotNull(found);
        Assert.Equal(15_360L * 1024 * 1024, found.Bytes);
        Assert.Contains("Tesla T4", found.Source);
    }

    [Fact]
    public void No_tool_a_failing_tool_or_odd_output_means_unknown()
    {
        using var dir = new Kit.TestSupport.TempDir();
        Assert.Null(GpuMemory.Detect(dir["missing-tool"]));
        Assert.Null(GpuMemory.Detect(Tool(dir, "echo 'NVIDIA-SMI has failed' >&2; exit 9")));
        Assert.Null(GpuMemory.Detect(Tool(dir, "echo 'Tesla T4, [N/A]'")));
    }

    [Fact]
    public void The_kit_profile_assumes_a_T4_when_nothing_is_named_or_found()
    {
        var set = ParameterCalculator.Calculate(DatasetStats.Uniform(300, 30), new CalculatorOptions { DetectGpu = false });
        Assert.Same(GpuMemory.ColabT4, set.Memory);
        Assert.Contains("T4", set["MegaBatchFactor"].Reason);
    }
}
