using System.CommandLine;
using Kit.Aws.Datasets;
using Kit.Aws.Spot;

namespace Kit.Cli.Commands.Aws;

/// <summary>
/// `kit aws fetch-dataset STORE DIR`: what the training VM's boot script runs before `kit train`: the run's
/// dataset from its store (uploaded by `kit aws launch --dataset`) into DIR, every byte checked, files already
/// there intact kept.
/// </summary>
internal static class AwsFetchDataset
{
    public static Command Create()
    {
        var store = new Argument<string>("store") { Description = "The dataset's store, e.g. s3://my-bucket/runs/NAME/dataset (or a folder)." };
        var dir = new Argument<string>("dir") { Description = "The folder to fetch the dataset into." };
        var cmd = new Command("fetch-dataset", "Fetch a run's dataset from its store (what the VM's boot script does before training).") { store, dir };
        cmd.SetAction((pr, ct) => AwsCliOptions.Guard("fetch-dataset", async () =>
        {
            await using var source = DatasetStore.Open(pr.GetValue(store)!, SpotTrainingGuard.S3FromEnvironment());
            var fetched = await source.FetchAsync(pr.GetValue(dir)!, ct: ct);
            Console.WriteLine(fetched.ToString());
            return 0;
        }));
        return cmd;
    }
}
