using System.Text;
using CredentialFunctions.Application.Search;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace CredentialFunctions.App.Http;

/// <summary>An export written to the response as its rows arrive from the store: never a whole file in memory.</summary>
public sealed class CsvResponse(CredentialExport export, string fileName) : IActionResult
{
    public async Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/csv; charset=utf-8";
        response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
        response.Headers.CacheControl = "private, no-store";
        await using var writer = new StreamWriter(response.Body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 64 * 1024, leaveOpen: true);
        await CredentialCsv.WriteAsync(writer, export.Rows, export.At, context.HttpContext.RequestAborted);
    }
}
