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

    /// <summary>Whether each member reads its own input (<see cref="NetworkSpec.SeparateInputs"/>): then call
    /// <see cref="LogitsOf"/> and <see cref="EmbedOf"/> with one input per member.</summary>
    public bool SeparateInputs => Spec.SeparateInputs;

    /// <summary>The log of the members' mean softmax, member i reading <paramref name="inputs"/>[i].</summary>
    /// <exception cref="ArgumentException">Not one input per member, or an input a member cannot take.</exception>
    public Tensor LogitsOf(IReadOnlyList<(Tensor? Spectrogram, Tensor? Features)> inputs)
    {
        CheckCount(inputs);
        Tensor? sum = null;
        for (int i = 0; i < Members.Count; i++)
        {
            var p = Member(i, inputs[i], static (m, x, f) => m.Logits(x, f)).Softmax(1);
            sum = sum is null ? p : sum.Add(p);
        }
        // Floored so that a class every member rules out still gets a finite logit.
        return sum!.Mul(1f / Members.Count).Clamp(1e-30f, 1f).Log();
    }

    /// <summary>The members' embeddings side by side, member i reading <paramref name="inputs"/>[i].</summary>
    /// <exception cref="ArgumentException">Not one input per member, or an input a member cannot take.</exception>
    public Tensor EmbedOf(IReadOnlyList<(Tensor? Spectrogram, Tensor? Features)> inputs)
    {
        CheckCount(inputs);
        return Tensor.Concat(Enumerable.Range(0, Members.Count).Select(i => Member(i, inputs[i], static (m, x, f) => m.Embed(x, f))).ToArray(), 1);
    }

    /// <inheritdoc />
    protected override Tensor LogitsCore(Tensor? spectrogram, Tensor? features) => LogitsOf(Shared(spectrogram, features));

    /// <inheritdoc />
    protected override Tensor EmbedCore(Tensor? spectrogram, Tensor? features) => EmbedOf(Shared(spectrogram, features));

    private (Tensor?, Tensor?)[] Shared(Tensor? spectrogram, Tensor? features) => SeparateInputs
        ? throw new InvalidOperationException("This ensemble's members read separate inputs: call LogitsOf or EmbedOf with one input per member.")
        : Enumerable.Repeat((spectrogram, features), Members.Count).ToArray();

    private Tensor Member(int i, (Tensor? Spectrogram, Tensor? Features) input, Func<EmotionNetwork, Tensor?, Tensor?, Tensor> run)
    {
        var m = Members[i];
        return run(m, m.UsesSpectrogram ? input.Spectrogram : null, m.UsesFeatures ? input.Features : null);
    }

    private void CheckCount(IReadOnlyList<(Tensor?, Tensor?)> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count != Members.Count)
            throw new ArgumentException($"The ensemble has {Members.Count} members but got {inputs.Count} inputs.", nameof(inputs));
    }
}
