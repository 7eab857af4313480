using LoraPar.Core;

namespace LoraPar.Pipeline.Init;

/// <summary>What <c>lorapar init</c> was asked: the model (folder or Hub id, or null), the data file (or null), where to write.</summary>
public sealed record InitRequest(string? Model, string? Data, string Out, bool Force);

/// <summary><c>lorapar init</c>: inspects the model and the data and writes a commented manifest (<see cref="ManifestTemplate"/>) atomically.</summary>
public static class ManifestInit
{
    /// <summary>Writes the manifest; returns the lines to print (what was found, what to run next).</summary>
    public static IReadOnlyList<string> Run(InitRequest request)
    {
        if (File.Exists(request.Out) && !request.Force)
            throw new BadInputException($"--out {request.Out}: the file exists; choose another name or pass --force to replace it");
        var model = request.Model is null ? ModelInspection.BuiltIn : ModelInspection.Of(request.Model);
        var data = request.Data is null ? null : DataInspection.Of(request.Data);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(request.Out))!);
        AtomicFile.WriteAllText(request.Out, ManifestTemplate.Render(request.Out, model, data));
        var lines = new List<string> { $"model: {model.Description}" };
        if (data is not null)
            lines.Add($"data: {data.Path}: {data.Rows} rows, layout {Manifest.KebabCase.Name(data.Dataset)}, "
                      + (data.Mapping.Count == 0 ? "columns under their own names" : "columns " + string.Join(", ", data.Mapping.Select(m => $"{m.Key} = {m.Value}"))));
        if (data?.Missing.Count > 0) lines.Add($"no column found for {string.Join(", ", data.Missing)}: name it in [data.columns] of {request.Out}");
        lines.Add($"wrote {request.Out}; next: {CommandHint.Lorapar} run --dry-run {request.Out}, then {CommandHint.Lorapar} run {request.Out}");
        return lines;
    }
}
