using System.CommandLine;

namespace Kit.Cli;

/// <summary>
/// One `kit` subcommand. Each lives in its own file under Commands/ and is found by reflection,
/// so adding a command never edits a shared list.
/// </summary>
public interface IKitCommand
{
    Command Create();
}
