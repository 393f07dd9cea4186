using System.CommandLine;
using System.Reflection;
using Kit.Cli;
using Kit.Cli.Failures;

var root = new RootCommand("Kit: train text-to-speech voices from a folder of recorded speech.");
foreach (var type in Assembly.GetExecutingAssembly().GetTypes()
             .Where(t => typeof(IKitCommand).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
             .OrderBy(t => t.Name, StringComparer.Ordinal))
{
    root.Subcommands.Add(((IKitCommand)Activator.CreateInstance(type)!).Create());
}
var parsed = root.Parse(args);
try
{
    return await parsed.InvokeAsync(new InvocationConfiguration
    {
        // Failures go to FailureReport (one line, a documented exit code), never to a stack trace.
        EnableDefaultExceptionHandler = false,
        // Signals are the commands' own business (kit train saves a checkpoint first). System.CommandLine's
        // handler completed its task once per signal, so two quick Ctrl+C threw in the handler and aborted.
        ProcessTerminationTimeout = null,
    });
}
catch (Exception e)
{
    var command = string.Join(' ', parsed.CommandResult.Command.Name is var name && name == root.Name ? [] : CommandPath(parsed.CommandResult));
    return FailureReport.Write(command, e, Console.Error);
}

static IEnumerable<string> CommandPath(System.CommandLine.Parsing.CommandResult result)
{
    var names = new Stack<string>();
    for (var r = result; r.Parent is System.CommandLine.Parsing.CommandResult parent; r = parent) names.Push(r.Command.Name);
    return names;
}
