using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace Kit.Aws.Launch;

/// <summary>
/// The training VM's user-data: <c>Launch/user-data.sh</c> (embedded) with the run's settings filled in,
/// every value shell-quoted. It installs the kit and a systemd unit that starts or resumes `kit train` on
/// every boot.
/// </summary>
public static partial class UserDataScript
{
    /// <summary>EC2's limit on user data, before base64.</summary>
    public const int MaxBytes = 16 * 1024;

    public static string Template { get; } = LoadTemplate();

    public static string Render(TrainingRunSettings run)
    {
        foreach (var (name, value) in new[] { ("run name", run.RunName), ("repository", run.RepoUrl), ("ref", run.RepoRef),
                     ("kit folder", run.KitDir), ("checkpoint store", run.CheckpointStore), ("region", run.Region),
                     ("dataset store", run.DatasetStore ?? ""), ("dataset folder", run.DatasetDir ?? "") }
                     .Concat(run.TrainArgs.Select(a => ("train argument", a))))
        {
            if (value.Any(char.IsControl))
                throw new ArgumentException($"the {name} {value.Trim()} contains a line break or control character");
        }
        if ((run.DatasetStore is null) != (run.DatasetDir is null))
            throw new ArgumentException("a dataset store needs the folder on the VM it is fetched into, and the other way round");
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["RUN_NAME"] = Shell.Quote(run.RunName),
            ["REPO_URL"] = Shell.Quote(run.RepoUrl),
            ["REPO_REF"] = Shell.Quote(run.RepoRef),
            ["KIT_DIR"] = Shell.Quote(run.KitDir),
            ["CHECKPOINT_STORE"] = Shell.Quote(run.CheckpointStore),
            ["DATASET_STORE"] = Shell.Quote(run.DatasetStore ?? ""),
            ["DATASET_DIR"] = Shell.Quote(run.DatasetDir ?? ""),
            ["TRAIN_ARGS"] = string.Join(" ", run.TrainArgs.Select(Shell.Quote)),
            ["REGION"] = Shell.Quote(run.Region),
            ["DOTNET_CHANNEL"] = Shell.Quote(run.DotnetChannel),
        };
        var script = Placeholder().Replace(Template, m => values.TryGetValue(m.Groups[1].Value, out var v)
            ? v
            : throw new InvalidOperationException($"user-data.sh: no value for {{{{{m.Groups[1].Value}}}}}"));
        var size = Encoding.UTF8.GetByteCount(script);
        if (size > MaxBytes)
            throw new InvalidOperationException($"the user-data script is {size} bytes; EC2 accepts at most {MaxBytes}. Shorten the train arguments.");
        return script;
    }

    private static string LoadTemplate()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Kit.Aws.Launch.user-data.sh")
            ?? throw new InvalidOperationException("Kit.Aws is built without its embedded Launch/user-data.sh");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"\{\{([A-Z_]+)\}\}")]
    private static partial Regex Placeholder();
}

/// <summary>Bash quoting: single quotes, with embedded ones closed, escaped and reopened.</summary>
public static class Shell
{
    public static string Quote(string value) => "'" + value.Replace("'", "'\\''") + "'";
}
