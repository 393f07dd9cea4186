using System.CommandLine;
using Kit.Data.Samples;

namespace Kit.Cli.Commands;

/// <summary>`kit sample-dataset DIR`: the built-in LJSpeech-format dataset, spoken by espeak-ng.</summary>
public sealed class SampleDatasetCommand : IKitCommand
{
    public Command Create()
    {
        var dir = new Argument<DirectoryInfo>("dir") { Description = "The folder to write (wavs/, metadata.csv, train.txt, val.txt)" };
        var clips = new Option<int>("--clips") { Description = "How many clips (the same count always makes the same files)", DefaultValueFactory = _ => 24 };
        var command = new Command("sample-dataset", "Make the built-in sample dataset: real speech from espeak-ng in LJSpeech format.") { dir, clips };
        command.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var folder = pr.GetValue(dir)!.FullName;
            int count = pr.GetValue(clips);
            if (count < 1)
            {
                Console.Error.WriteLine("kit sample-dataset: --clips must be at least 1");
                return 2;
            }
            try
            {
                await ConsoleProgress.Items("speaking clips", async progress =>
                {
                    await SampleDataset.CreateAsync(folder, count, new Relay(progress, count), ct);
                    return 0;
                });
            }
            catch (InvalidOperationException e)
            {
                Console.Error.WriteLine($"kit sample-dataset: {e.Message}");
                return 1;
            }
            Console.WriteLine($"sample dataset: {count} clips in {folder}");
            return 0;
        });
        return command;
    }

    private sealed class Relay(IProgress<(int, int)> inner, int total) : IProgress<int>
    {
        public void Report(int value) => inner.Report((value, total));
    }
}
