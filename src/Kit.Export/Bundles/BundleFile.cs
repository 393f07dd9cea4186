namespace Kit.Export.Bundles;

/// <summary>
/// One file of a bundle: where it sits in the bundle (forward slashes), where its bytes come from, and its
/// hashes. Uploads stream straight from <see cref="SourcePath"/>, so a large checkpoint is never staged twice.
/// </summary>
public sealed record BundleFile(string RelativePath, string SourcePath, FileHashes Hashes)
{
    public long Size => Hashes.Size;

    public Stream OpenRead() => FileHashes.OpenRead(SourcePath);
}
