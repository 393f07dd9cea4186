using System.CommandLine;
using Kit.Data.Checks;
using Kit.Data.Datasets;

namespace Kit.Cli.Commands;

/// <summary>`kit check DATASET`: the dataset check. Exit 0 no errors, 1 errors found, 2 the dataset could not be read.</summary>
public sealed class CheckCommand : IKitCommand
{
    public Command Create()
    {
        var dataset = new Argument<string>("dataset") { Description = "An LJSpeech-format dataset folder (metadata.csv and/or train.txt, val.txt) or one list file" };
        var json = new Option<FileInfo?>("--json") { Description = "Also write the full report (summary, findings, entries) as JSON to this file" };
        var sampleRate = new Option<int>("--sample-rate") { Description = "The training sample rate in Hz", DefaultValueFactory = _ => 22050 };
        var maxFindings = new Option<int>("--max-findings") { Description = "Findings to print (the JSON has them all)", DefaultValueFactory = _ => 50 };
        var command = new Command("check", "Check a dataset: every line and every clip; exit 0 no errors, 1 errors found, 2 unreadable.")
        {
            dataset, json, sampleRate, maxFindings,
        };
        command.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var path = pr.GetValue(dataset)!;
            var jsonFile = pr.GetValue(json);
            DatasetCheckReport report;
            try
            {
                report = await ConsoleProgress.Items("reading clips", progress => Task.Run(() => DatasetCheck.Run(path, new DatasetCheckOptions
                {
                    SampleRate = pr.GetValue(sampleRate),
                    Progress = progress,
                    Cancellation = ct,
                }), ct));
            }
            catch (DatasetLoadException e)
            {
                report = DatasetCheckReport.Unreadable(path, e.Message);
            }
            if (jsonFile is not null) report.Save(jsonFile.FullName);
            Console.Out.Write(report.ExitCode == 2 ? "" : CheckText(report, pr.GetValue(maxFindings)));
            if (report.ExitCode == 2) Console.Error.WriteLine($"kit check: the dataset could not be read: {report.Error}");
            if (jsonFile is not null) Console.Error.WriteLine($"report written to {jsonFile.FullName}");
            return report.ExitCode;
        });
        return command;
    }

    private static string CheckText(DatasetCheckReport report, int maxFindings)
    {
        var text = report.Render().First(r => r.MimeType == Kit.Display.Rendering.Text).Content;
        if (maxFindings == 50) return text;
        // The report's own text shows 50 findings; print the summary and the number asked for instead.
        return report.SummaryTable().Render().First(r => r.MimeType == Kit.Display.Rendering.Text).Content + "\n" +
               report.FindingsTable(maxFindings).Render().First(r => r.MimeType == Kit.Display.Rendering.Text).Content;
    }
}
