using Kit.Export.Bundles;
using Kit.Export.Destinations;

namespace Kit.Export.Verification;

/// <summary>Lists the destination and compares every bundle file's size and checksums with the local ones.</summary>
public static class Verifier
{
    public static async Task<VerifyReport> VerifyAsync(IExportDestination destination, IReadOnlyList<BundleFile> files, CancellationToken ct)
    {
        var listed = (await destination.ListAsync(ct)).ToDictionary(f => f.RelativePath, StringComparer.Ordinal);
        var problems = new List<VerifyProblem>();
        foreach (var file in files)
        {
            if (!listed.TryGetValue(file.RelativePath, out var remote))
                problems.Add(new VerifyProblem(file.RelativePath, "missing at the destination"));
            else if (await Checksums.MismatchAsync(file, remote, ct) is { } why)
                problems.Add(new VerifyProblem(file.RelativePath, why));
        }
        return new VerifyReport(destination.Description, files.Count, files.Sum(f => f.Size), problems);
    }
}
