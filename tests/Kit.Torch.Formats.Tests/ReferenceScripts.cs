using System.Text.Json.Nodes;
using Kit.TestSupport;

namespace Kit.Torch.Formats.Tests;

/// <summary>Runs the Python reference scripts in python/ with Debian's torch and parses their JSON output.</summary>
internal static class ReferenceScripts
{
    private static string Folder => Path.Combine(RepoPaths.Root, "tests", "Kit.Torch.Formats.Tests", "python");

    public static JsonNode Run(string script, params string[] args)
    {
        var file = Path.Combine(Folder, script);
        if (!File.Exists(file)) throw new FileNotFoundException("reference script missing", file);
        var launcher = $"import sys, runpy; sys.path.insert(0, {PyString(Folder)}); runpy.run_path({PyString(file)}, run_name='__main__')";
        var stdout = ReferencePython.Run(launcher, args);
        return JsonNode.Parse(stdout) ?? throw new InvalidOperationException($"{script} printed nothing");
    }

    private static string PyString(string s) => "'" + s.Replace("\\", "\\\\").Replace("'", "\\'") + "'";
}
