namespace Affetto.Cli.Infrastructure;

/// <summary>
/// A mistake in what the user asked for (a bad option value, a missing output folder): reported as one line,
/// never with a stack trace.
/// </summary>
public sealed class UserError(string message) : Exception(message);
