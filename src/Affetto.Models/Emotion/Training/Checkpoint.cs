using System.Globalization;
using System.Text.Json;
using Affetto.Models.Emotion.ModelFile;
using Affetto.Nn.Modules;
using Affetto.Nn.Optim;
using Affetto.Nn.Serialization;
using Affetto.Nn.Tensors;

namespace Affetto.Models.Emotion.Training;

/// <summary>
/// The state <see cref="Trainer.Fit"/> writes after every epoch and resumes from: current weights (<c>model.*</c>),
/// optimiser moments (<c>optimizer.*</c>), the best weights so far (<c>best.*</c>), and in the metadata the history,
/// the best epoch and score, the early-stopping counter, the time spent, and a fingerprint of the run (spec, front end,
/// options, tracks) so a checkpoint is never resumed into a different run. One safetensors file, written atomically.
/// </summary>
internal sealed record Checkpoint(
    Dictionary<string, Tensor> Model,
    Dictionary<string, Tensor> Optimizer,
    Dictionary<string, Tensor>? Best,
    int BestEpoch,
    double BestScore,
    int Stale,
    double Seconds,
    IReadOnlyList<EpochRecord> History)
{
    private static readonly JsonSerializerOptions s_json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static void Save(string path, string fingerprint, Module network, Optimizer optimizer, Dictionary<string, Tensor>? best,
        int bestEpoch, double bestScore, int stale, double seconds, IReadOnlyList<EpochRecord> history)
    {
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (k, v) in network.StateDict()) tensors["model." + k] = v;
        foreach (var (k, v) in optimizer.StateDict()) tensors["optimizer." + k] = v;
        if (best is not null) foreach (var (k, v) in best) tensors["best." + k] = v;
        var meta = new Dictionary<string, string>
        {
            ["affetto.checkpoint"] = fingerprint,
            ["best_epoch"] = bestEpoch.ToString(CultureInfo.InvariantCulture),
            ["best_score"] = bestScore.ToString("R", CultureInfo.InvariantCulture),
            ["stale"] = stale.ToString(CultureInfo.InvariantCulture),
            ["seconds"] = seconds.ToString("R", CultureInfo.InvariantCulture),
            ["history"] = JsonSerializer.Serialize(history, s_json),
        };
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        string temp = path + ".tmp";
        SafeTensors.Save(temp, tensors, meta);
        File.Move(temp, path, overwrite: true);
    }

    public static Checkpoint Load(string path, string fingerprint)
    {
        try
        {
            var (tensors, meta) = SafeTensors.Load(path);
            if (!meta.TryGetValue("affetto.checkpoint", out string? f))
                throw new InvalidDataException($"{path}: not an Affetto training checkpoint");
            if (f != fingerprint)
                throw new InvalidDataException($"{path}: the checkpoint belongs to a different run (other data, settings or options); delete it or leave out --resume");
            Dictionary<string, Tensor> Part(string prefix) => tensors.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal))
                .ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value, StringComparer.Ordinal);
            var best = Part("best.");
            return new Checkpoint(Part("model."), Part("optimizer."), best.Count > 0 ? best : null,
                int.Parse(meta["best_epoch"], CultureInfo.InvariantCulture),
                double.Parse(meta["best_score"], CultureInfo.InvariantCulture),
                int.Parse(meta["stale"], CultureInfo.InvariantCulture),
                double.Parse(meta["seconds"], CultureInfo.InvariantCulture),
                JsonSerializer.Deserialize<EpochRecord[]>(meta["history"], s_json) ?? []);
        }
        catch (Exception e) when (e is KeyNotFoundException or FormatException or JsonException)
        {
            throw new InvalidDataException($"{path}: damaged training checkpoint ({e.Message})", e);
        }
    }
}
