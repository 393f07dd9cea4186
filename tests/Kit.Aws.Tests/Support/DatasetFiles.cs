namespace Kit.Aws.Tests.Support;

/// <summary>What of a dataset folder travels with a run: every file but hidden ones (the sample's .kit-sample-dataset marker).</summary>
public static class DatasetFiles
{
    public static Dictionary<string, string> Hashes(string dir) =>
        SyntheticCheckpoint.Hashes(dir).Where(kv => !kv.Key.Split('/').Any(p => p.StartsWith('.'))).ToDictionary();
}
