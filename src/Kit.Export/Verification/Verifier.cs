using Kit.Export.Bundles;
using Kit.Export.Destinations;

namespace Kit.Export.Verification;

/// <summary>Lists the destination and compares every bundle file's size and checksums with the local ones.</summary>
public static class Verifier
{
    /// <summary>
    /// Checks <paramref name="files"/> and, when given, the bundle's <paramref name="manifest"/> file as uploaded.
    /// The report counts the bundle's files (as an import of it counts them) and says when manifest.json was checked too.
    /// </summary>
    public static async Task<VerifyReport> VerifyAsync(IExportDestination destination, IReadOnlyList<BundleFile> files, BundleFile? manifest, CancellationToken ct)
    {
        var listed = (await destination.ListAsync(ct)).ToDictionary(f => f.RelativePath, StringComparer.Ordinal);
        var problems = new List<VerifyProblem>();
        foreach (var file in manifest is null ? files : [.. files, manifest])
        {
            if (!listed.TryGetValue(file.RelativePath, out var remote))
                problems.Add(new VerifyProblem(file.RelativePath, "missing at the destination"));
            else if (await Checksums.MismatchAsync(file, remote, ct) is { } why)
                problems.Add(new VerifyProblem(file.RelativePath, why));
        }
        return new VerifyReport(destination.Description, files.Count, files.Sum(f => f.Size), problems) { IncludesManifest = manifest is not null };
    }

    public static Task<VerifyReport> VerifyAsync(IExportDestination destination, IReadOnlyList<BundleFile> files, CancellationToken ct) =>
        VerifyAsync(destination, files, null, ct);
}
