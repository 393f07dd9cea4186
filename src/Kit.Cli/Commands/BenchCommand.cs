using System.CommandLine;
using System.Reflection;

namespace Kit.Cli.Commands;

/// <summary>`kit bench NAME`: speed figures printed side by side with their reference.</summary>
public sealed class BenchCommand : IKitCommand
{
    public Command Create()
    {
        var bench = new Command("bench", "Run a benchmark and print its figures beside the reference's.");
        foreach (var type in Assembly.GetExecutingAssembly().GetTypes()
                     .Where(t => typeof(IKitBenchmark).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
                     .OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            bench.Subcommands.Add(((IKitBenchmark)Activator.CreateInstance(type)!).Create());
        }
        return bench;
    }
}
