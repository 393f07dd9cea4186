using System.Diagnostics;
using Kit.Aws.Launch;
using Kit.TestSupport;

namespace Kit.Aws.Tests;

/// <summary>The VM's boot script: valid bash, values survive quoting, and it wires up every-boot training.</summary>
public sealed class UserDataScriptTests
{
    private static readonly TrainingRunSettings Run = new("alice's run", "https://example.com/kit.git", "s3://bucket/runs/alice's run", "us-west-2")
    {
        RepoRef = "v1.2",
        TrainArgs = ["--config", "configs/spectrogram model.yml", "--note", "it's $HOME `x` \"q\""],
        DatasetStore = "s3://bucket/runs/alice's run/dataset",
        DatasetDir = "/opt/kit/data/alice's clips",
    };

    private static string Bash(string script, string? workDir = null)
    {
        var psi = new ProcessStartInfo("/bin/bash") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        if (workDir is not null) psi.WorkingDirectory = workDir;
        using var p = Process.Start(psi)!;
        p.StandardInput.Write(script);
        p.StandardInput.Close();
        var output = p.StandardOutput.ReadToEnd();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"bash failed ({p.ExitCode}): {error}");
        return output;
    }

    [Fact]
    public void The_script_is_valid_bash_and_installs_an_every_boot_systemd_unit()
    {
        var script = UserDataScript.Render(Run);
        using var temp = new TempDir();
        File.WriteAllText(temp["user-data.sh"], script);
        Bash($"bash -n '{temp["user-data.sh"]}'");

        Assert.StartsWith("#!/bin/bash\n", script);
        Assert.DoesNotContain("{{", script);
        Assert.Contains("WantedBy=multi-user.target", script);
        Assert.Contains("systemctl enable --now kit-train.service", script);
        Assert.Contains("./setup.sh --no-main-job", script); // the README's setup
        Assert.Contains("./kit train \"${KIT_TRAIN_ARGS[@]}\"", script);
        Assert.Contains("export KIT_RUN_NAME KIT_CHECKPOINT_STORE KIT_DATASET_STORE KIT_DATASET_DIR KIT_SPOT_WATCH=1", script);
        // Built for the GPU (setup.sh records the backend it chose), the dataset fetched, then training.
        var setup = script.IndexOf("./setup.sh --no-main-job", StringComparison.Ordinal);
        var backendCheck = script.IndexOf("[ \"$backend\" != cuda ]", StringComparison.Ordinal);
        var fetch = script.IndexOf("./kit aws fetch-dataset \"$KIT_DATASET_STORE\" \"$KIT_DATASET_DIR\"", StringComparison.Ordinal);
        var train = script.IndexOf("./kit train", StringComparison.Ordinal);
        Assert.True(script.IndexOf("nvidia-smi -L", StringComparison.Ordinal) is > 0 and var smi && smi < setup, "nvidia-smi is asked before the build");
        Assert.True(setup > 0 && setup < backendCheck && backendCheck < fetch && fetch < train, "order: setup, backend check, dataset, train");
    }

    [Fact]
    public void Without_a_dataset_nothing_is_fetched_and_a_store_without_its_folder_is_refused()
    {
        var script = UserDataScript.Render(Run with { DatasetStore = null, DatasetDir = null });
        Assert.Contains("KIT_DATASET_STORE=''", script); // the boot script skips the fetch on an empty store
        Assert.Throws<ArgumentException>(() => UserDataScript.Render(Run with { DatasetDir = null }));
    }

    [Fact]
    public void Every_value_reaches_the_boot_script_exactly_whatever_its_quotes_and_dollars()
    {
        var script = UserDataScript.Render(Run);
        // The run settings file the boot script sources: cut it out of the heredoc and source it.
        var start = script.IndexOf("<<'KIT_RUN'\n", StringComparison.Ordinal) + "<<'KIT_RUN'\n".Length;
        var settings = script[start..script.IndexOf("\nKIT_RUN\n", start, StringComparison.Ordinal)];

        var output = Bash(settings + "\nprintf '%s\\n' \"$KIT_RUN_NAME\" \"$KIT_REPO_URL\" \"$KIT_REPO_REF\" \"$KIT_DIR\" \"$KIT_CHECKPOINT_STORE\" \"$KIT_DATASET_STORE\" \"$KIT_DATASET_DIR\" \"$AWS_REGION\" \"${#KIT_TRAIN_ARGS[@]}\" \"${KIT_TRAIN_ARGS[@]}\"\n");

        Assert.Equal(
            ["alice's run", "https://example.com/kit.git", "v1.2", "/opt/kit", "s3://bucket/runs/alice's run",
             "s3://bucket/runs/alice's run/dataset", "/opt/kit/data/alice's clips", "us-west-2", "4",
             "--config", "configs/spectrogram model.yml", "--note", "it's $HOME `x` \"q\""],
            output.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void Line_breaks_in_values_and_oversized_scripts_are_refused()
    {
        Assert.Throws<ArgumentException>(() => UserDataScript.Render(Run with { RunName = "a\nKIT_RUN\nrm -rf /" }));
        var e = Assert.Throws<InvalidOperationException>(() => UserDataScript.Render(Run with { TrainArgs = [new string('x', 20_000)] }));
        Assert.Contains("16384", e.Message);
    }
}
