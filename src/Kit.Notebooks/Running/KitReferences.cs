using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Kit.Notebooks.Running;

/// <summary>
/// Resolves #r "nuget: Kit.X" to the local build (build/kit/Kit.X.dll) together with the assemblies in
/// that folder it depends on, so the compiler sees every type the kit's public API exposes, as a NuGet
/// restore would provide. Other packages cannot be restored headless: a clear error says so.
/// </summary>
public sealed class KitReferences(string? kitDirectory)
{
    public string? Directory { get; } = kitDirectory;

    public IReadOnlyList<string> Resolve(string packageId)
    {
        if (!packageId.StartsWith("Kit.", StringComparison.Ordinal))
            throw new FileNotFoundException($"#r \"nuget: {packageId}\": the headless runner resolves only the kit's own packages (Kit.*) from the local build; reference a built dll with #r \"path.dll\" instead");
        if (Directory is null)
            throw new FileNotFoundException($"#r \"nuget: {packageId}\": the kit's build folder (build/kit) was not found; run ./setup.sh or `dotnet build src/Kit.Cli`");
        var dll = Path.Combine(Directory, packageId + ".dll");
        if (!File.Exists(dll))
            throw new FileNotFoundException($"#r \"nuget: {packageId}\": {dll} does not exist (is {packageId} a Kit project, and is the kit built?)");
        var found = new List<string>();
        Closure(dll, found);
        return found;
    }

    private void Closure(string dll, List<string> found)
    {
        if (found.Contains(dll, StringComparer.Ordinal)) return;
        found.Add(dll);
        using var pe = new PEReader(File.OpenRead(dll));
        if (!pe.HasMetadata) return;
        var md = pe.GetMetadataReader();
        foreach (var handle in md.AssemblyReferences)
        {
            var name = md.GetString(md.GetAssemblyReference(handle).Name);
            var candidate = Path.Combine(Directory!, name + ".dll");
            if (File.Exists(candidate)) Closure(candidate, found);
        }
    }

    /// <summary>
    /// The kit's build folder: the folder this assembly runs from when it is build/kit (the CLI), else a
    /// build/kit found above the notebook's folder or the current directory.
    /// </summary>
    public static string? FindKitDirectory(params string[] startFolders)
    {
        var here = Path.GetDirectoryName(typeof(KitReferences).Assembly.Location);
        if (here is not null && File.Exists(Path.Combine(here, "kit.dll"))) return here;
        foreach (var start in startFolders.Append(Environment.CurrentDirectory))
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var kit = Path.Combine(dir.FullName, "build", "kit");
                if (File.Exists(Path.Combine(kit, "kit.dll"))) return kit;
            }
        return null;
    }
}
