using System.Reflection;
using System.Runtime.Loader;

namespace Kit.Training.Recipes;

/// <summary>
/// Finds a recipe by name among the loaded Kit assemblies (and the Kit.*.dll beside this one), so a model
/// project adds a recipe by implementing <see cref="IRecipe"/> with a parameterless constructor.
/// </summary>
public static class RecipeCatalog
{
    public static IReadOnlyList<IRecipe> All()
    {
        LoadKitAssemblies();
        return AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => a.GetName().Name?.StartsWith("Kit", StringComparison.Ordinal) == true)
            .SelectMany(SafeTypes)
            .Where(t => typeof(IRecipe).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false } && t.GetConstructor(Type.EmptyTypes) is not null)
            .Select(t => (IRecipe)Activator.CreateInstance(t)!)
            .GroupBy(r => r.Name).Select(g => g.First())
            .OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
    }

    public static IRecipe Find(string name) =>
        All().FirstOrDefault(r => r.Name == name)
        ?? throw new ArgumentException($"no model recipe named '{name}'; known recipes: {string.Join(", ", All().Select(r => r.Name))}");

    private static IEnumerable<Type> SafeTypes(Assembly a)
    {
        try { return a.GetTypes(); }
        catch (ReflectionTypeLoadException e) { return e.Types.OfType<Type>(); }
    }

    /// <summary>
    /// Loads the Kit assemblies beside this one into this assembly's own load context. Assembly.LoadFrom
    /// would put them in the default context, where their reference to Kit.Training binds a second copy of
    /// it whenever this copy lives elsewhere, as in the Polyglot kernel (each #r'd assembly has a context of
    /// its own): a later cell then fails with MissingFieldException on an earlier cell's TrainingRun field.
    /// </summary>
    private static void LoadKitAssemblies()
    {
        var self = typeof(RecipeCatalog).Assembly;
        var dir = Path.GetDirectoryName(self.Location);
        if (string.IsNullOrEmpty(dir)) return;
        var context = AssemblyLoadContext.GetLoadContext(self) ?? AssemblyLoadContext.Default;
        var loaded = AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetName().Name).ToHashSet();
        foreach (var dll in Directory.EnumerateFiles(dir, "Kit.*.dll"))
        {
            var name = Path.GetFileNameWithoutExtension(dll);
            if (loaded.Contains(name) || name.EndsWith(".Tests", StringComparison.Ordinal)) continue;
            try { context.LoadFromAssemblyPath(dll); } catch (BadImageFormatException) { } catch (FileLoadException) { }
        }
    }
}
