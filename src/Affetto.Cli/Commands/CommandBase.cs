using System.CommandLine;
using Affetto.Cli.Infrastructure;

namespace Affetto.Cli.Commands;

/// <summary>
/// Base of every <c>affetto</c> command: wires the action to <see cref="Execute"/> with a ready
/// <see cref="CliContext"/>, so a command only parses its own options and calls the library.
/// </summary>
internal abstract class CommandBase : Command
{
    protected CommandBase(string name, string description, Func<CancellationToken> token) : base(name, description)
    {
        SetAction(parse => Execute(parse, CliApp.Context(parse, token())));
    }

    /// <summary>Runs the command and returns its exit code (see <see cref="ExitCodes"/>).</summary>
    protected abstract int Execute(ParseResult parse, CliContext ctx);

    /// <summary>Adds <paramref name="validate"/> as a parse-time rule of <paramref name="option"/>.</summary>
    internal static Option<T> Check<T>(Option<T> option, Func<T, string?> validate)
    {
        option.Validators.Add(r =>
        {
            var v = r.GetValueOrDefault<T>();
            if (v is not null && validate(v) is { } message) r.AddError(message);
        });
        return option;
    }

    /// <summary>
    /// The usual <c>PATH...</c> argument: files or folders. A token that looks like an option and names no file
    /// is reported as an unknown option instead of a missing file.
    /// </summary>
    protected static Argument<string[]> PathsArgument(string description = "Audio files, or folders searched recursively")
    {
        var argument = new Argument<string[]>("PATH") { Description = description, Arity = ArgumentArity.OneOrMore };
        argument.Validators.Add(r =>
        {
            foreach (var token in r.Tokens)
                if (token.Value.StartsWith('-') && !File.Exists(token.Value) && !Directory.Exists(token.Value))
                    r.AddError($"unknown option '{token.Value}'");
        });
        return argument;
    }

    /// <summary>An option that must be strictly positive when given.</summary>
    internal static Option<double> Positive(Option<double> option) =>
        Check(option, v => double.IsFinite(v) && v > 0 ? null : $"{option.Name} must be a positive number (got {v})");

    /// <summary>An option that must be zero or more when given.</summary>
    internal static Option<double> NonNegative(Option<double> option) =>
        Check(option, v => double.IsFinite(v) && v >= 0 ? null : $"{option.Name} must be zero or more (got {v})");

    /// <summary>An integer option that must be strictly positive.</summary>
    internal static Option<int> Positive(Option<int> option) =>
        Check(option, v => v > 0 ? null : $"{option.Name} must be a positive integer (got {v})");
}
