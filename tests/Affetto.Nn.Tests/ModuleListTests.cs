using Affetto.Nn.Modules;
using Affetto.Nn.Tensors;
using Xunit;

namespace Affetto.Nn.Tests;

public sealed class ModuleListTests
{
    [Fact]
    public void Children_are_named_by_position_and_their_state_is_registered()
    {
        var list = new ModuleList(new Linear(3, 2), new Linear(2, 1));
        Assert.Equal(2, list.Count);
        Assert.IsType<Linear>(list[1]);
        Assert.Equal(["0.weight", "0.bias", "1.weight", "1.bias"], list.StateDict().Keys);
        Assert.Equal(3 * 2 + 2 + 2 + 1, list.ParameterCount());
        Assert.Throws<NotSupportedException>(() => list.Forward(Tensor.Zeros(1, 3)));
    }
}
