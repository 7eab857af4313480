using LoraPar.Core;

namespace LoraPar.Core.Tests;

public sealed class AtomicFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lorapar-atomic-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Write_replaces_content_and_leaves_no_temporary_files()
    {
        var path = Path.Combine(_dir, "sub", "a.txt");
        AtomicFile.WriteAllText(path, "first");
        AtomicFile.WriteAllText(path, "second");
        Assert.Equal("second", File.ReadAllText(path));
        Assert.Equal(["a.txt"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
    }

    [Fact]
    public void A_writer_that_throws_leaves_the_old_content()
    {
        var path = Path.Combine(_dir, "b.txt");
        AtomicFile.WriteAllText(path, "kept");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, s =>
        {
            s.Write("partial"u8);
            throw new InvalidOperationException("interrupted");
        }));
        Assert.Equal("kept", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(_dir));
    }
}
