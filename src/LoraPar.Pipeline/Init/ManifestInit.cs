using LoraPar.Core;

namespace LoraPar.Pipeline.Init;

/// <summary>
/// What <c>lorapar init</c> was asked: the model (folder or Hub id, or null), the data file (or null), where to write, and
/// the held-out file (or null).
/// </summary>
public sealed record InitRequest(string? Model, string? Data, string Out, bool Force, string? Eval = null);

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
        var heldOut = request.Eval is null ? null : HeldOutInspection.Of(request.Eval);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(request.Out))!);
        AtomicFile.WriteAllText(request.Out, ManifestTemplate.Render(request.Out, model, data, heldOut));
        var lines = new List<string> { $"model: {model.Description}" };
        if (data is not null) lines.AddRange(Found("data", data, "[data.columns]", request.Out));
        if (heldOut is not null)
            lines.AddRange([.. Found("eval", heldOut.File, "[eval.own.columns]", request.Out),
                $"eval: metric {Evaluation.Own.AnswerGrader.Name(heldOut.Metric)} (guessed from the first gold answer), and a [[rl.own_rewards]] correctness reward of it"]);
        lines.Add($"wrote {request.Out}; next: {CommandHint.Lorapar} run --dry-run {request.Out}, then {CommandHint.Lorapar} run {request.Out}");
        return lines;
    }

    private static IEnumerable<string> Found(string what, DataInspection file, string columns, string manifest)
    {
        yield return $"{what}: {file.Path}: {file.Rows} rows, layout {Manifest.KebabCase.Name(file.Dataset)}, "
                     + (file.Mapping.Count == 0 ? "columns under their own names" : "columns " + string.Join(", ", file.Mapping.Select(m => $"{m.Key} = {m.Value}")));
        if (file.Missing.Count > 0) yield return $"no column found for {string.Join(", ", file.Missing)}: name it in {columns} of {manifest}";
    }
}
