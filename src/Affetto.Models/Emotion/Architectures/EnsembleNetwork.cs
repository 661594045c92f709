using Affetto.Nn.Modules;
using Affetto.Nn.Tensors;

namespace Affetto.Models.Emotion.Architectures;

/// <summary>
/// Several trained networks that vote: the ensemble's class probabilities are the mean of its members' softmax outputs
/// (soft voting, as tracks combine their segments). <see cref="EmotionNetwork.Logits"/> returns the logarithm of that
/// mean, so a softmax of it gives the mean back. Members sit under <c>members.{i}</c> (a PyTorch <c>ModuleList</c>),
/// each with its own state-dict keys; the embedding is the members' embeddings side by side. Built from trained models
/// by <c>affetto ensemble</c>; it is not trained as one network.
/// </summary>
public sealed class EnsembleNetwork : EmotionNetwork
{
    private readonly ModuleList _members;

    /// <summary>Builds the ensemble (use <see cref="NetworkFactory.Create"/>, which validates the spec).</summary>
    internal EnsembleNetwork(NetworkSpec spec, IReadOnlyList<EmotionNetwork> members)
        : base(spec)
    {
        Members = members.ToArray();
        _members = RegisterModule("members", new ModuleList([.. Members]));
        EmbeddingSize = Members.Sum(m => m.EmbeddingSize);
        MinimumInputSize = (Members.Max(m => m.MinimumInputSize.Height), Members.Max(m => m.MinimumInputSize.Width));
    }

    /// <summary>The member networks, in order.</summary>
    public IReadOnlyList<EmotionNetwork> Members { get; }

    /// <inheritdoc />
    public override int EmbeddingSize { get; }

    /// <inheritdoc />
    public override (int Height, int Width) MinimumInputSize { get; }

    /// <inheritdoc />
    protected override Tensor LogitsCore(Tensor? spectrogram, Tensor? features)
    {
        Tensor? sum = null;
        foreach (var member in Members)
        {
            var p = member.Logits(member.UsesSpectrogram ? spectrogram : null, member.UsesFeatures ? features : null).Softmax(1);
            sum = sum is null ? p : sum.Add(p);
        }
        // Floored so that a class every member rules out still gets a finite logit.
        return sum!.Mul(1f / Members.Count).Clamp(1e-30f, 1f).Log();
    }

    /// <inheritdoc />
    protected override Tensor EmbedCore(Tensor? spectrogram, Tensor? features) =>
        Tensor.Concat(Members.Select(m => m.Embed(m.UsesSpectrogram ? spectrogram : null, m.UsesFeatures ? features : null)).ToArray(), 1);
}
