namespace Kit.TestSupport;

/// <summary>Where the repository and its build outputs are, found from the test assembly's folder.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string KitBuild => Path.Combine(Root, "build", "kit");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Kit.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Kit.sln not found above " + AppContext.BaseDirectory);
    }
}
