using System.Text.Json;
using Affetto.Models.Emotion.Architectures;
using Affetto.Models.Tests.Support;

namespace Affetto.Models.Tests.Architectures;

/// <summary>
/// State-dict keys, order and shapes against the plain-torch rebuilds of Fixtures/generate_architectures.py
/// (architectures/keys.json), plus a few literal snapshots so a renaming shows up in review.
/// </summary>
public sealed class ArchitectureKeysTests
{
    [Theory]
    [MemberData(nameof(ArchitectureTestData.TorchReferenced), MemberType = typeof(ArchitectureTestData))]
    public void StateDict_MatchesTheTorchReferenceKeysOrderAndShapes(Architecture a)
    {
        var reference = Fixture.Load("architectures/keys.json").GetProperty(ArchitectureNames.ToName(a));
        var expected = reference.GetProperty("state").EnumerateArray()
            .Select(e => $"{e[0].GetString()} [{string.Join(", ", e[1].Ints())}]").ToList();
        var net = NetworkFactory.Create(ArchitectureTestData.Spec(a), 1);
        var actual = net.StateDict().Select(kv => $"{kv.Key} [{string.Join(", ", kv.Value.Shape)}]").ToList();
        Assert.Equal(expected, actual);
        Assert.Equal(reference.GetProperty("params").GetInt64(), net.ParameterCount());
    }

    public static IEnumerable<object[]> Snapshots() =>
    [
        [Architecture.Cnn4, new[] { "features.0.weight", "features.1.running_var", "features.13.num_batches_tracked", "classifier.1.bias" }],
        [Architecture.Vgg16, new[] { "features.0.weight", "features.41.running_mean", "classifier.0.weight", "classifier.3.bias" }],
        [Architecture.EfficientNetV2S, new[] { "features.0.0.weight", "features.1.0.block.0.0.weight", "features.6.14.block.2.fc1.weight", "features.7.1.running_var", "classifier.1.weight" }],
        [Architecture.EfficientNetV2Narrow, new[] { "features.0.0.weight", "features.2.1.block.1.1.bias", "features.6.3.block.3.0.weight", "classifier.1.bias" }],
        [Architecture.Multimodal, new[] { "spectrogram_branch.0.weight", "spectrogram_branch.13.running_mean", "feature_branch.1.weight", "classifier.3.weight" }],
        [Architecture.Mlp, new[] { "layers.0.weight", "layers.5.running_var", "layers.8.bias" }],
    ];

    [Theory]
    [MemberData(nameof(Snapshots))]
    public void StateDict_ContainsTheSnapshotKeys(Architecture a, string[] keys)
    {
        var state = NetworkFactory.Create(ArchitectureTestData.Spec(a), 1).StateDict();
        Assert.All(keys, k => Assert.True(state.ContainsKey(k), $"missing {k}"));
    }

    [Fact]
    public void KeysFixture_ReferenceV2SAtTorchvisionDefaults_HasTorchvisionsPublishedCount()
    {
        // The fixture script asserts this while generating; keep it visible on the C# side too.
        var n = Fixture.Load("architectures/keys.json").GetProperty("efficientnetv2-s-torchvision-defaults").GetProperty("params").GetInt64();
        Assert.Equal(21_458_488L, n);
        Assert.Equal(JsonValueKind.Object, Fixture.Load("architectures/keys.json").ValueKind);
    }
}
