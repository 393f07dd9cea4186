using System.CommandLine;
using Kit.Aws.Ec2;
using Kit.Aws.Launch;
using Spectre.Console;

namespace Kit.Cli.Commands.Aws;

/// <summary>
/// `kit aws image NAME`: images the VM named NAME (the guide's create-image), named and described after the run,
/// then follows its snapshots to "available" with a progress bar.
/// </summary>
internal static class AwsImage
{
    public static Command Create(AwsCliOptions options)
    {
        var name = new Argument<string>("name") { Description = "The VM's Name tag." };
        var experiment = new Option<string?>("--experiment") { Description = "Experiment id or key to put in the image's description." };
        var step = new Option<long?>("--step") { Description = "Training steps completed, for the image's name and description." };
        var link = new Option<string?>("--link") { Description = "A URL to the experiment (dashboard, run page)." };
        var noWait = new Option<bool>("--no-wait") { Description = "Print the image id and return without following progress." };
        var poll = new Option<double>("--poll-seconds") { Description = "How often to check progress.", DefaultValueFactory = _ => 15 };
        var cmd = new Command("image", "Create an image of a training VM (it keeps training) and follow it to available.")
            { name, experiment, step, link, noWait, poll };
        cmd.SetAction((pr, ct) => AwsCliOptions.Guard("image", async () =>
        {
            using var ec2 = options.Connect(pr);
            var vm = await ec2.FindByNameAsync(pr.GetValue(name)!, ct);
            var imageId = await ImageBuilder.CreateAsync(ec2, vm, vm.Name ?? pr.GetValue(name)!, pr.GetValue(experiment), pr.GetValue(step), pr.GetValue(link), ct);
            Console.WriteLine($"image {imageId} of {vm.InstanceId} requested (this takes minutes to an hour and a half)");
            if (pr.GetValue(noWait)) return 0;
            var interval = TimeSpan.FromSeconds(Math.Max(1, pr.GetValue(poll)));
            var image = Console.IsOutputRedirected
                ? await ImageBuilder.FollowAsync(ec2, imageId, new LineProgress(), interval, ct)
                : await AnsiConsole.Progress().AutoClear(false).StartAsync(async ctx =>
                {
                    var task = ctx.AddTask($"image {imageId}", maxValue: 100);
                    var result = await ImageBuilder.FollowAsync(ec2, imageId, new Progress<ImageProgress>(p =>
                    {
                        task.Value = p.Percent;
                        task.Description = $"image {imageId} {p.State}";
                    }), interval, ct);
                    task.Value = 100;
                    return result;
                });
            Console.WriteLine($"image {image.ImageId} available: {image.Name}");
            Console.WriteLine($"relaunch from it: kit aws launch NEW_NAME --ami {image.ImageId} …");
            return 0;
        }));
        return cmd;
    }

    /// <summary>Plain lines when output is redirected, one per change.</summary>
    private sealed class LineProgress : IProgress<ImageProgress>
    {
        private string last = "";

        public void Report(ImageProgress p)
        {
            var line = $"image {p.ImageId}: {p.State} {p.Percent:0}%";
            if (line != last) Console.WriteLine(line);
            last = line;
        }
    }
}
