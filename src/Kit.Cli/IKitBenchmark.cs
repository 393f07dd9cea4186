using System.CommandLine;

namespace Kit.Cli;

/// <summary>
/// One `kit bench` subcommand (found by reflection, like <see cref="IKitCommand"/>). A benchmark prints
/// figures, the kit's beside the reference's from the same run; it asserts nothing.
/// </summary>
public interface IKitBenchmark
{
    Command Create();
}
