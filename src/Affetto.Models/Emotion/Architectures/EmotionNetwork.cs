using Affetto.Nn.Modules;
using Affetto.Nn.Tensors;

namespace Affetto.Models.Emotion.Architectures;

/// <summary>
/// Base of every emotion-recognition network: a <see cref="Module"/> with two possible inputs, a spectrogram
/// [B, C, H, W] and a summary feature vector [B, D], producing class logits [B, NumClasses] (softmax is applied by the
/// loss or at inference) and an embedding [B, E] (the penultimate representation, for PCA/t-SNE maps).
/// Create instances with <see cref="NetworkFactory.Create"/>.
/// </summary>
public abstract class EmotionNetwork : Module
{
    /// <summary>Initialises the base with its spec.</summary>
    protected EmotionNetwork(NetworkSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Spec = spec;
    }

    /// <summary>The spec this network was built from.</summary>
    public NetworkSpec Spec { get; }

    /// <summary>Whether <see cref="Logits"/> needs the spectrogram input.</summary>
    public bool UsesSpectrogram => Spec.UsesSpectrogram;

    /// <summary>Whether <see cref="Logits"/> needs the summary feature input.</summary>
    public bool UsesFeatures => Spec.UsesFeatures;

    /// <summary>
    /// Smallest spectrogram (height, width) the network accepts at run time: (16, 16) for the four 2×2 pools of cnn4
    /// and multimodal, the product of the pool kernels chosen for the spec's size for vgg16, (1, 1) otherwise.
    /// </summary>
    public virtual (int Height, int Width) MinimumInputSize => (1, 1);

    /// <summary>Length E of <see cref="Embed"/>'s output.</summary>
    public abstract int EmbeddingSize { get; }

    /// <summary>Class logits [B, NumClasses]; pass null for an input the architecture does not use.</summary>
    /// <exception cref="ArgumentException">A needed input is missing or has the wrong rank, channels or feature length.</exception>
    public Tensor Logits(Tensor? spectrogram, Tensor? features)
    {
        CheckInputs(spectrogram, features);
        return LogitsCore(spectrogram, features);
    }

    /// <summary>The penultimate representation [B, <see cref="EmbeddingSize"/>] (taken before the last dropout).</summary>
    /// <exception cref="ArgumentException">A needed input is missing or malformed.</exception>
    public Tensor Embed(Tensor? spectrogram, Tensor? features)
    {
        CheckInputs(spectrogram, features);
        return EmbedCore(spectrogram, features);
    }

    /// <summary>
    /// <see cref="Logits"/> for single-input architectures: the spectrogram, or the feature vector for Mlp.
    /// </summary>
    /// <exception cref="InvalidOperationException">The architecture needs both inputs (Multimodal).</exception>
    public override Tensor Forward(Tensor input)
    {
        if (UsesSpectrogram && UsesFeatures)
        {
            throw new InvalidOperationException(
                $"{ArchitectureNames.ToName(Spec.Architecture)} needs both a spectrogram and a feature vector: call Logits(spectrogram, features) instead of Forward.");
        }

        return UsesFeatures ? Logits(null, input) : Logits(input, null);
    }

    /// <summary>Computes logits from checked inputs.</summary>
    protected abstract Tensor LogitsCore(Tensor? spectrogram, Tensor? features);

    /// <summary>Computes the embedding from checked inputs.</summary>
    protected abstract Tensor EmbedCore(Tensor? spectrogram, Tensor? features);

    private void CheckInputs(Tensor? spectrogram, Tensor? features)
    {
        string name = ArchitectureNames.ToName(Spec.Architecture);
        if (UsesSpectrogram)
        {
            if (spectrogram is null)
            {
                throw new ArgumentException($"{name} needs a spectrogram input [B, {Spec.InputChannels}, H, W].", nameof(spectrogram));
            }

            if (spectrogram.Rank != 4 || spectrogram.Size(1) != Spec.InputChannels)
            {
                throw new ArgumentException(
                    $"{name}: spectrogram must be [B, {Spec.InputChannels}, H, W], got [{string.Join(", ", spectrogram.Shape)}].", nameof(spectrogram));
            }

            var (minH, minW) = MinimumInputSize;
            if (spectrogram.Size(2) < minH || spectrogram.Size(3) < minW)
            {
                throw new ArgumentException(
                    $"{name}: spectrogram {spectrogram.Size(2)} x {spectrogram.Size(3)} (bins x frames) is smaller than the network's minimum {minH} x {minW}.",
                    nameof(spectrogram));
            }
        }

        if (UsesFeatures)
        {
            if (features is null)
            {
                throw new ArgumentException($"{name} needs a feature input [B, {Spec.FeatureDim}].", nameof(features));
            }

            if (features.Rank != 2 || features.Size(1) != Spec.FeatureDim)
            {
                throw new ArgumentException(
                    $"{name}: features must be [B, {Spec.FeatureDim}], got [{string.Join(", ", features.Shape)}].", nameof(features));
            }
        }

        if (UsesSpectrogram && UsesFeatures && spectrogram!.Size(0) != features!.Size(0))
        {
            throw new ArgumentException(
                $"{name}: spectrogram batch {spectrogram.Size(0)} differs from feature batch {features.Size(0)}.", nameof(features));
        }
    }
}
