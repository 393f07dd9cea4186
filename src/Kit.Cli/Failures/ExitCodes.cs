namespace Kit.Cli.Failures;

/// <summary>The exit codes every `kit` command uses (the README's table); a command documents which it can return.</summary>
public static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Ok = 0;
    /// <summary>The work failed (or, for `kit check`, the dataset has errors); the message says why.</summary>
    public const int Failed = 1;
    /// <summary>An input could not be read or holds an invalid setting: the message names the file, line and setting.</summary>
    public const int BadInput = 2;
    /// <summary>Another kit process holds the run folder (its PID and host are named).</summary>
    public const int RunFolderInUse = 3;
    /// <summary>Training ended with steps that are in no checkpoint (the disk was full); the message says what was kept.</summary>
    public const int WorkNotSaved = 4;
    /// <summary>A fault in the kit itself (EX_SOFTWARE); KIT_DEBUG=1 prints the details.</summary>
    public const int InternalError = 70;
    /// <summary>Interrupted before anything could be finished (128 + SIGINT).</summary>
    public const int Interrupted = 130;
}
