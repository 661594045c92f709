using System.CommandLine;
using Affetto.Cli.Commands;
using Affetto.Cli.Infrastructure;

namespace Affetto.Cli;

/// <summary>
/// The <c>affetto</c> command line: builds the command tree and runs it. The commands are thin shells over
/// the Affetto libraries; everything they print goes through the writers given here, so tests can run them
/// in-process and read what they wrote.
/// </summary>
public static class CliApp
{
    /// <summary>Global: show stack traces of internal errors.</summary>
    internal static readonly Option<bool> VerboseOption = new("--verbose", "-v")
    {
        Description = "Show details (stack traces) of internal errors",
        Recursive = true,
    };

    /// <summary>Global: how many files to process at once.</summary>
    internal static readonly Option<int?> JobsOption = new("--jobs", "-j")
    {
        Description = "Files processed at once [default: number of cores]",
        Recursive = true,
    };

    static CliApp()
    {
        JobsOption.Validators.Add(r =>
        {
            if (r.GetValue(JobsOption) is < 1) r.AddError("--jobs must be at least 1");
        });
    }

    /// <summary>Runs the command line <paramref name="args"/> and returns the process exit code.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error, CancellationToken cancellation = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        ConsoleCancelEventHandler? onCancel = null;
        if (ReferenceEquals(error, Console.Error))
        {
            onCancel = (_, e) => { e.Cancel = true; cts.Cancel(); };
            Console.CancelKeyPress += onCancel;
        }
        try
        {
            var root = BuildRoot(() => cts.Token);
            var parse = root.Parse(args);
            var config = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
            if (parse.Errors.Count > 0)
            {
                foreach (var e in parse.Errors) error.WriteLine("affetto: " + e.Message);
                error.WriteLine("Run 'affetto --help' (or 'affetto COMMAND --help') for usage.");
                return ExitCodes.InvalidArguments;
            }
            try
            {
                return parse.Invoke(config);
            }
            catch (OperationCanceledException)
            {
                error.WriteLine("affetto: cancelled");
                return ExitCodes.Cancelled;
            }
            catch (UserError ex)
            {
                error.WriteLine("affetto: " + ex.Message);
                return ExitCodes.InvalidArguments;
            }
            catch (Exception ex)
            {
                bool verbose = parse.GetValue(VerboseOption);
                error.WriteLine("affetto: " + ErrorDescriber.Describe(ex, null, verbose));
                return ex is ArgumentException or Affetto.Audio.AudioException or IOException or InvalidDataException
                    or Affetto.Models.Emotion.ModelFile.ModelFileException or Affetto.Models.Data.CsvFormatException
                    ? ExitCodes.InputFailed : ExitCodes.InternalError;
            }
        }
        finally
        {
            if (onCancel is not null) Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>Builds the command tree; <paramref name="token"/> gives each run its cancellation token.</summary>
    internal static RootCommand BuildRoot(Func<CancellationToken> token)
    {
        var root = new RootCommand(
            "Affetto: music emotion and genre recognition, audio features and neural networks on the CPU.");
        root.Options.Add(VerboseOption);
        root.Options.Add(JobsOption);
        foreach (var command in CommandCatalog.Create(token)) root.Subcommands.Add(command);
        return root;
    }

    /// <summary>Builds the context of one command invocation from its parse result.</summary>
    internal static CliContext Context(ParseResult parse, CancellationToken token) =>
        new(parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error,
            parse.GetValue(VerboseOption), parse.GetValue(JobsOption), cancellation: token);
}
