namespace Affetto.Models.Tests.Support;

/// <summary>Locates the shared data sets (../shared/data relative to the worktree, or AFFETTO_DATA).</summary>
internal static class SharedData
{
    /// <summary>The folder of a data set, or null when the shared data are not on this machine.</summary>
    public static string? Find(string relative)
    {
        var env = Environment.GetEnvironmentVariable("AFFETTO_DATA");
        if (!string.IsNullOrEmpty(env) && Directory.Exists(Path.Combine(env, relative)))
            return Path.Combine(env, relative);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data", relative);
            if (Directory.Exists(candidate))
                return candidate;
        }
        return null;
    }
}
