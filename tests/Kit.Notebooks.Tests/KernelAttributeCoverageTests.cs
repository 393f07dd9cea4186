using System.Reflection;
using System.Runtime.Loader;
using Kit.TestSupport;

namespace Kit.Notebooks.Tests;

/// <summary>
/// The real Polyglot kernel shows an IRenderable as the kit intends only when the type (or a base class)
/// carries an attribute named TypeFormatterSourceAttribute (README, "Display convention"); interfaces do not
/// count. This checks every public renderable type in every Kit assembly of build/kit.
/// </summary>
public sealed class KernelAttributeCoverageTests
{
    [Fact]
    public void Every_public_renderable_type_in_the_kit_carries_the_kernel_attribute()
    {
        var kitDlls = Directory.Exists(RepoPaths.KitBuild) ? Directory.GetFiles(RepoPaths.KitBuild, "Kit.*.dll") : [];
        Assert.True(kitDlls.Length > 0, $"no Kit assemblies in {RepoPaths.KitBuild}: build the solution first");
        var context = new AssemblyLoadContext("kit-scan", isCollectible: true);
        context.Resolving += (ctx, name) =>
        {
            var candidate = Path.Combine(RepoPaths.KitBuild, name.Name + ".dll");
            return File.Exists(candidate) ? ctx.LoadFromAssemblyPath(candidate) : null;
        };
        try
        {
            var missing = new List<string>();
            foreach (var dll in kitDlls)
            {
                Type?[] types;
                try { types = context.LoadFromAssemblyPath(dll).GetTypes(); }
                catch (ReflectionTypeLoadException e) { types = e.Types; }
                foreach (var t in types.OfType<Type>().Where(t => t is { IsPublic: true, IsAbstract: false, IsInterface: false }))
                {
                    if (!t.GetInterfaces().Any(i => i.FullName == "Kit.Display.IRenderable")) continue;
                    if (!t.GetCustomAttributes(true).Any(a => a.GetType().Name == "TypeFormatterSourceAttribute"))
                        missing.Add($"{t.FullName} ({Path.GetFileName(dll)})");
                }
            }
            Assert.True(missing.Count == 0,
                "add [TypeFormatterSource(typeof(RenderableFormatterSource), PreferredMimeTypes = new[] { \"text/html\", \"text/plain\" })] " +
                "(namespace Kit.Display.Formatting) to:\n" + string.Join("\n", missing));
        }
        finally { context.Unload(); }
    }
}
