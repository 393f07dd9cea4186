using System.CommandLine;
using Kit.Export;
using Kit.Export.Bundles;
using Kit.Export.Destinations;

namespace Kit.Cli.Commands;

/// <summary>
/// `kit import SRC --to DIR`: downloads an exported bundle from a folder, S3 or Drive and checks every file
/// against its manifest. Exit 0 all files match, 1 the import failed, 2 some files did not match.
/// </summary>
public sealed class ImportCommand : IKitCommand
{
    public Command Create()
    {
        var source = new Argument<string>("source") { Description = "Where the bundle is: a folder, s3://bucket/prefix or gdrive:MyDrive/voices/NAME" };
        var to = new Option<DirectoryInfo>("--to") { Description = "Local folder to download the bundle into", Required = true };
        var connection = new ConnectionOptions();
        var command = new Command("import", "Download an exported voice bundle and check it against its manifest.") { source, to };
        connection.AddTo(command);
        command.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            // Failures reach Program's FailureReport: one line, exit 1 (or 2 for an input that cannot be read).
            {
                await using var from = await DestinationFactory.OpenAsync(pr.GetValue(source)!, ExportState.InMemory(), connection.Settings(pr), ct);
                var target = pr.GetValue(to)!.FullName;
                var (manifest, report) = await ConsoleProgress.Transfer(progress => new Importer(from, ExportLog.Stderr).ImportAsync(target, progress, ct));
                Console.Out.WriteLine($"imported run '{manifest.Run}' step {manifest.Step} into {target}");
                Console.Out.WriteLine(report.ToString());
                return report.Ok ? 0 : 2;
            }
        });
        return command;
    }
}
