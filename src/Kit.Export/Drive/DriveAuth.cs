using Google.Apis.Auth.OAuth2;
using Google.Apis.Auth.OAuth2.Flows;
using Google.Apis.Http;
using Google.Apis.Util.Store;

namespace Kit.Export.Drive;

/// <summary>How the kit signs in to Google Drive.</summary>
public sealed record DriveAuthOptions
{
    /// <summary>A service account key (JSON). The Drive folder must be shared with the account's e-mail.</summary>
    public string? ServiceAccountFile { get; init; }

    /// <summary>An OAuth client of type "Desktop app" (or "TVs and Limited Input devices" for --headless).</summary>
    public string? ClientSecretsFile { get; init; }

    /// <summary>Sign in with a code typed on another device instead of a browser on this machine.</summary>
    public bool Headless { get; init; }

    /// <summary>Where refresh tokens are kept between runs: outside every run folder, so never in a bundle.</summary>
    public string TokenStore { get; init; } = DefaultTokenStore;

    public static string DefaultTokenStore =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData, Environment.SpecialFolderOption.Create), "kit", "google-drive");
}

/// <summary>
/// Google credentials for the Drive client. Scope drive.file: the kit sees only the files and folders it
/// created, nothing else in the user's Drive. Tokens never pass through the kit's logs or messages.
/// </summary>
public static class DriveAuth
{
    public const string Scope = "https://www.googleapis.com/auth/drive.file";
    private const string User = "kit";

    public static async Task<IConfigurableHttpClientInitializer> AuthorizeAsync(DriveAuthOptions options, Action<string> tell, CancellationToken ct)
    {
        if (options.ServiceAccountFile is { } saFile)
        {
            RequireFile(saFile, "service account key");
            try { return CredentialFactory.FromFile<ServiceAccountCredential>(saFile).ToGoogleCredential().CreateScoped(Scope); }
            // The Google library throws whatever its JSON or ASN.1 reader meets (NotSupportedException "Tag '8'",
            // JsonReaderException, FormatException, ...); any of them means this file is not a usable key. The
            // reason is left out on purpose: it can quote parts of the key.
            catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
            {
                throw new InvalidDataException($"{saFile}: not a usable Google service account key (its JSON or private_key is malformed); " +
                                               "download the key again from the Cloud console (IAM > Service accounts > Keys)", e);
            }
        }
        if (options.ClientSecretsFile is not { } secretsFile)
            throw new InvalidOperationException(
                "Google Drive needs credentials: --drive-client-secrets FILE (an OAuth client JSON from the Google Cloud console) " +
                "or --drive-service-account FILE (a service account key); see the README's export section.");
        RequireFile(secretsFile, "OAuth client");
        ClientSecrets secrets;
        try
        {
            await using var stream = File.OpenRead(secretsFile);
            secrets = (await GoogleClientSecrets.FromStreamAsync(stream, ct)).Secrets
                      ?? throw new InvalidDataException("no client in it");
        }
        // As for the service account key: the library's parse errors vary; each means the file is not an OAuth client.
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException and not IOException)
        {
            throw new InvalidDataException($"{secretsFile}: not a Google OAuth client JSON (expected the file the Cloud console downloads for a Desktop app client)", e);
        }
        var store = new FileDataStore(options.TokenStore, fullPath: true);
        if (!options.Headless)
        {
            tell("Opening a browser to sign in to Google Drive…");
            return await GoogleWebAuthorizationBroker.AuthorizeAsync(secrets, [Scope], User, ct, store, new LocalServerCodeReceiver());
        }
        var flow = new GoogleAuthorizationCodeFlow(new GoogleAuthorizationCodeFlow.Initializer
        {
            ClientSecrets = secrets, Scopes = [Scope], DataStore = store,
        });
        var saved = await flow.LoadTokenAsync(User, ct);
        if (saved is not null && (saved.RefreshToken is not null || !saved.IsStale))
            return new UserCredential(flow, User, saved);
        var token = await DeviceFlow.AuthorizeAsync(secrets, Scope, tell, ct);
        await store.StoreAsync(User, token);
        return new UserCredential(flow, User, token);
    }

    private static void RequireFile(string path, string what)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: {what} file not found");
    }
}
