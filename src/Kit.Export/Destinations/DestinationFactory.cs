using Google.Apis.Http;
using Kit.Export.Bundles;
using Kit.Export.Drive;
using Kit.Export.S3;

namespace Kit.Export.Destinations;

/// <summary>Settings for every kind of destination; each kind reads its own.</summary>
public sealed record DestinationSettings
{
    public S3Options S3 { get; init; } = new();

    /// <summary>Drive credentials, asked for only when a gdrive: address is opened (sign-in may prompt).</summary>
    public Func<CancellationToken, Task<IConfigurableHttpClientInitializer>>? DriveCredential { get; init; }

    /// <summary>Drive API base URI; null = https://www.googleapis.com/ (tests point it at a loopback server).</summary>
    public Uri? DriveBaseUri { get; init; }

    public int DriveChunkSize { get; init; } = 8 << 20;

    /// <summary>
    /// Settings from the environment (a notebook has no command-line options): the AWS chain and
    /// <see cref="S3Options.FromEnvironment"/> for S3; for Drive the files given here, else KIT_GDRIVE_CLIENT_SECRETS or
    /// KIT_GDRIVE_SERVICE_ACCOUNT. <paramref name="tell"/> shows sign-in instructions (never a secret).
    /// </summary>
    public static DestinationSettings FromEnvironment(Action<string> tell, string? driveClientSecrets = null,
        string? driveServiceAccount = null, bool driveHeadless = false)
    {
        static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : null;
        static string? Given(string? value) => string.IsNullOrWhiteSpace(value) ? null : Path.GetFullPath(value);
        var drive = new DriveAuthOptions
        {
            ClientSecretsFile = Given(driveClientSecrets) ?? Env("KIT_GDRIVE_CLIENT_SECRETS"),
            ServiceAccountFile = Given(driveServiceAccount) ?? Env("KIT_GDRIVE_SERVICE_ACCOUNT"),
            Headless = driveHeadless,
        };
        return new DestinationSettings
        {
            S3 = S3Options.FromEnvironment(),
            DriveCredential = ct => DriveAuth.AuthorizeAsync(drive, tell, ct),
            DriveBaseUri = Env("KIT_GDRIVE_BASE_URI") is { } b ? new Uri(b) : null,
        };
    }
}

/// <summary>Opens a destination from its address: s3://bucket/prefix, gdrive:MyDrive/folder, or a folder path.</summary>
public static class DestinationFactory
{
    public static async Task<IExportDestination> OpenAsync(string address, ExportState state, DestinationSettings settings, CancellationToken ct)
    {
        if (S3Address.IsS3(address))
            return new S3Destination(S3Address.Parse(address), settings.S3, state);
        if (DriveDestination.IsDrive(address))
        {
            var credential = settings.DriveCredential is { } get
                ? await get(ct)
                : throw new InvalidOperationException("no Google Drive credentials configured");
            return new DriveDestination(new DriveClient(credential, settings.DriveBaseUri), DriveDestination.FolderOf(address), state, settings.DriveChunkSize);
        }
        if (address.Contains("://", StringComparison.Ordinal))
            throw new ArgumentException($"'{address}': unknown destination; use s3://bucket/prefix, gdrive:MyDrive/folder or a folder path");
        return new LocalFolderDestination(address);
    }
}
