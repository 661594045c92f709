namespace Affetto.Models.Emotion.Architectures;

/// <summary>
/// The emotion-recognition networks of the seed study. CLI names (see <see cref="ArchitectureNames"/>): "cnn4",
/// "vgg16", "efficientnetv2-s", "efficientnetv2-narrow", "multimodal", "mlp", "ensemble".
/// </summary>
public enum Architecture
{
    /// <summary>The seed's small CNN: four conv-BN-ReLU-maxpool blocks, global average pooling, linear head.</summary>
    Cnn4,

    /// <summary>VGG16 with BatchNorm configured for spectrograms (channel multiplier, pooling only where possible, GAP).</summary>
    Vgg16,

    /// <summary>EfficientNetV2-S exactly as the paper's Table 4 (torchvision layout and keys).</summary>
    EfficientNetV2S,

    /// <summary>EfficientNetV2-S's stage structure with fewer, narrower layers, trainable on a CPU.</summary>
    EfficientNetV2Narrow,

    /// <summary>A spectrogram CNN branch and a summary-feature MLP branch, fused before the classifier.</summary>
    Multimodal,

    /// <summary>A multilayer perceptron on the 1-D summary feature vector only.</summary>
    Mlp,

    /// <summary>
    /// Several trained networks whose class probabilities are averaged (<see cref="EnsembleNetwork"/>); made from trained
    /// models by <c>affetto ensemble</c>, not trained as one.
    /// </summary>
    Ensemble,
}
