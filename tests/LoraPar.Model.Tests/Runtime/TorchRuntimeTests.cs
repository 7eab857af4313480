using LoraPar.Model.Runtime;
using TorchSharp;

namespace LoraPar.Model.Tests.Runtime;

public sealed class TorchRuntimeTests
{
    [Fact]
    public void TorchSharp_initialises_and_autograd_computes_a_known_gradient()
    {
        var info = TorchRuntime.EnsureInitialized();
        Assert.NotNull(info);

        using var x = torch.tensor(new[] { 1.0f, 2.0f, 3.0f }, requires_grad: true);
        using var y = (x * x).sum();   // y = Σ x², dy/dx = 2x
        y.backward();

        Assert.Equal(new[] { 2.0f, 4.0f, 6.0f }, x.grad!.data<float>().ToArray());
    }

    [Fact]
    public void Idle_openmp_workers_sleep_unless_the_user_chose_a_wait_policy()
    {
        TorchRuntime.EnsureInitialized();
        if (!OperatingSystem.IsLinux()) return;
        var native = System.Runtime.InteropServices.Marshal.PtrToStringAnsi(NativeEnvironment.getenv("OMP_WAIT_POLICY"));
        Assert.False(string.IsNullOrEmpty(native));
        var user = Environment.GetEnvironmentVariable("OMP_WAIT_POLICY");
        if (string.IsNullOrEmpty(user)) Assert.Equal("PASSIVE", native);                 // lorapar's default, in the C library's copy only
        else Assert.Equal(user, native);
    }

    [Fact]
    public void Auto_and_cpu_resolve_to_a_device_and_cuda_is_an_error_without_one()
    {
        Assert.Equal(DeviceType.CPU, DeviceResolver.Resolve(DeviceChoice.Cpu).type);
        var auto = DeviceResolver.Resolve(DeviceChoice.Auto);
        if (torch.cuda.is_available()) Assert.Equal(DeviceType.CUDA, auto.type);
        else
        {
            Assert.Equal(DeviceType.CPU, auto.type);
            var error = Assert.Throws<TorchRuntimeException>(() => DeviceResolver.Resolve(DeviceChoice.Cuda));
            Assert.Contains("TorchBackend=cuda", error.Message);
        }
    }
}
