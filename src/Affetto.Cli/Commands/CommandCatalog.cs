using System.CommandLine;

namespace Affetto.Cli.Commands;

/// <summary>Every top-level command of <c>affetto</c>, in the order <c>--help</c> lists them.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> Create(Func<CancellationToken> token) =>
    [
        new AnalyzeCommand(token),
        new TrainCommand(token),
        new EvaluateCommand(token),
        new EnsembleCommand(token),
        new StudyCommand(token),
        new InfoCommand(token),
        new FeaturesCommand(token),
        new PlotCommand(token),
        new FadeCommand(token),
        new MixCommand(token),
        new SegmentCommand(token),
        new DemoCommand(token),
    ];
}
