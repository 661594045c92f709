namespace Affetto.Cli.Infrastructure;

/// <summary>Process exit codes of the <c>affetto</c> command line.</summary>
public static class ExitCodes
{
    /// <summary>Everything asked for was done.</summary>
    public const int Success = 0;

    /// <summary>The command line itself was wrong (unknown option, absurd value): nothing was done.</summary>
    public const int InvalidArguments = 2;

    /// <summary>At least one input could not be processed; the others were.</summary>
    public const int InputFailed = 3;

    /// <summary>An unexpected internal error (a bug): rerun with --verbose and report it.</summary>
    public const int InternalError = 70;

    /// <summary>The user interrupted the run (Ctrl+C).</summary>
    public const int Cancelled = 130;
}
