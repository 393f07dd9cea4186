using System.CommandLine;
using System.Reflection;
using Kit.Cli;

var root = new RootCommand("Kit: train text-to-speech voices from a folder of recorded speech.");
foreach (var type in Assembly.GetExecutingAssembly().GetTypes()
             .Where(t => typeof(IKitCommand).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
             .OrderBy(t => t.Name, StringComparer.Ordinal))
{
    root.Subcommands.Add(((IKitCommand)Activator.CreateInstance(type)!).Create());
}
return await root.Parse(args).InvokeAsync();
