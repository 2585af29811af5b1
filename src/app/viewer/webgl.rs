//! Every point drawn by the GPU through WebGL2: the alternative to the CPU's level of
//! detail, measured beside it (Performance → "Compare: every point on the CPU and with WebGL2"). It draws the
//! same coordinates, colours and point size, as squares (or discs above 2 px) in row
//! order; it is not the viewer's picture, which stays the CPU rasterizer's.

use sbx_render::View;
use wasm_bindgen::JsCast;
use web_sys::{WebGl2RenderingContext as Gl, WebGlProgram, WebGlShader, WebGlUniformLocation};

const VERTEX: &str = r#"#version 300 es
layout(location = 0) in float x;
layout(location = 1) in float y;
layout(location = 2) in vec4 color;
// data to pixels: px = x * ax + bx, py = y * ay + by (y down, as the rasterizer)
uniform vec4 coef;
uniform vec2 canvas;
uniform float size;
out vec4 v_color;
void main() {
    vec2 p = vec2(x * coef.x + coef.y, y * coef.z + coef.w);
    gl_Position = vec4(p.x / canvas.x * 2.0 - 1.0, 1.0 - p.y / canvas.y * 2.0, 0.0, 1.0);
    gl_PointSize = size;
    v_color = color;
}
"#;

const FRAGMENT: &str = r#"#version 300 es
precision mediump float;
in vec4 v_color;
uniform bool disc;
out vec4 out_color;
void main() {
    vec2 q = gl_PointCoord - 0.5;
    if (v_color.a == 0.0 || (disc && dot(q, q) > 0.25)) discard;
    out_color = vec4(v_color.rgb, 1.0);
}
"#;

/// Points uploaded once; drawn under any view.
pub struct GlPoints {
    gl: Gl,
    n: i32,
    coef: Option<WebGlUniformLocation>,
    canvas: Option<WebGlUniformLocation>,
    size: Option<WebGlUniformLocation>,
    disc: Option<WebGlUniformLocation>,
}

/// Points per upload call: the bytes of one call are copied out of WebAssembly's memory.
const CHUNK: usize = 1 << 20;

impl GlPoints {
    /// A WebGL2 context on `el` with the points' coordinates and colours (RGBA bytes,
    /// alpha 0 = not drawn) in GPU buffers.
    pub fn new(
        el: &web_sys::HtmlCanvasElement,
        xs: &[f32],
        ys: &[f32],
        colors: &[u32],
    ) -> Result<GlPoints, String> {
        // no multisampling: the rasterizer's points are whole pixels; the picture is read
        // back after the GPU is done, in a later task, so it must be kept until then
        let opts = js_sys::Object::new();
        for (k, v) in [("antialias", false), ("preserveDrawingBuffer", true)] {
            let _ = js_sys::Reflect::set(&opts, &k.into(), &v.into());
        }
        let gl = el
            .get_context_with_context_options("webgl2", &opts)
            .ok()
            .flatten()
            .and_then(|c| c.dyn_into::<Gl>().ok())
            .ok_or("this browser gave no WebGL2 context")?;
        let n = xs.len().min(ys.len()).min(colors.len());
        let program = link(&gl)?;
        gl.use_program(Some(&program));
        let vao = gl.create_vertex_array();
        gl.bind_vertex_array(vao.as_ref());
        upload(&gl, 0, 1, Gl::FLOAT, false, &xs[..n], f32::to_le_bytes)?;
        upload(&gl, 1, 1, Gl::FLOAT, false, &ys[..n], f32::to_le_bytes)?;
        upload(
            &gl,
            2,
            4,
            Gl::UNSIGNED_BYTE,
            true,
            &colors[..n],
            u32::to_le_bytes,
        )?;
        let at = |name| gl.get_uniform_location(&program, name);
        Ok(GlPoints {
            n: i32::try_from(n).map_err(|_| "too many points for one draw call")?,
            coef: at("coef"),
            canvas: at("canvas"),
            size: at("size"),
            disc: at("disc"),
            gl,
        })
    }

    /// Draws every point under `view` with points of `size_px` on white.
    pub fn draw(&self, view: &View, size_px: f32) {
        let gl = &self.gl;
        let (ax, bx, ay, by) = view.coefficients();
        gl.viewport(0, 0, view.width as i32, view.height as i32);
        gl.clear_color(1.0, 1.0, 1.0, 1.0);
        gl.clear(Gl::COLOR_BUFFER_BIT);
        gl.uniform4f(
            self.coef.as_ref(),
            ax as f32,
            bx as f32,
            ay as f32,
            by as f32,
        );
        gl.uniform2f(self.canvas.as_ref(), view.width as f32, view.height as f32);
        gl.uniform1f(self.size.as_ref(), size_px.max(1.0));
        gl.uniform1i(self.disc.as_ref(), i32::from(size_px > 2.0));
        gl.draw_arrays(Gl::POINTS, 0, self.n);
    }

    /// Resolves once the GPU has finished the work sent so far, so that a timing covers
    /// the drawing and not only its queueing. It asks between tasks (a fence, polled
    /// every millisecond or so) rather than reading a pixel back, which would hold the
    /// page's thread for as long as the GPU takes: seconds for a software renderer.
    pub async fn done(&self) {
        let gl = &self.gl;
        let Some(fence) = gl.fence_sync(Gl::SYNC_GPU_COMMANDS_COMPLETE, 0) else {
            return;
        };
        gl.flush();
        loop {
            let r = gl.client_wait_sync_with_u32(&fence, 0, 0);
            if r != Gl::TIMEOUT_EXPIRED {
                break;
            }
            gloo_timers::future::TimeoutFuture::new(1).await;
        }
        gl.delete_sync(Some(&fence));
    }

    /// The drawn picture, `width` × `height` pixels as RGBA bytes, top row first (as a
    /// 2D canvas holds it; WebGL reads from the bottom row up).
    pub fn pixels(&self, width: u32, height: u32) -> Vec<u8> {
        let (w, h) = (width as usize, height as usize);
        let mut px = vec![0u8; w * h * 4];
        let _ = self.gl.read_pixels_with_opt_u8_array(
            0,
            0,
            width as i32,
            height as i32,
            Gl::RGBA,
            Gl::UNSIGNED_BYTE,
            Some(&mut px),
        );
        let mut flipped = Vec::with_capacity(px.len());
        for row in px.chunks(w * 4).rev() {
            flipped.extend_from_slice(row);
        }
        flipped
    }

    /// The GPU as the browser names it (e.g. "SwiftShader" when drawing in software).
    pub fn renderer(&self) -> String {
        let gl = &self.gl;
        let debug = gl.get_extension("WEBGL_debug_renderer_info").ok().flatten();
        // UNMASKED_RENDERER_WEBGL of that extension
        let name = if debug.is_some() {
            0x9246
        } else {
            Gl::RENDERER
        };
        gl.get_parameter(name)
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default()
    }
}

impl Drop for GlPoints {
    /// Gives the GPU's memory back now rather than when the context is collected
    /// (the buffers of 10M points take about 120 MB).
    fn drop(&mut self) {
        if let Ok(Some(ext)) = self.gl.get_extension("WEBGL_lose_context") {
            if let Ok(f) = js_sys::Reflect::get(&ext, &"loseContext".into()) {
                if let Some(f) = f.dyn_ref::<js_sys::Function>() {
                    let _ = f.call0(&ext);
                }
            }
        }
    }
}

/// A buffer for vertex attribute `index` (`size` components of `ty` per point), filled
/// with `values` a chunk at a time.
fn upload<T: Copy, const B: usize>(
    gl: &Gl,
    index: u32,
    size: i32,
    ty: u32,
    normalized: bool,
    values: &[T],
    bytes: fn(T) -> [u8; B],
) -> Result<(), String> {
    let buffer = gl.create_buffer().ok_or("no WebGL buffer")?;
    gl.bind_buffer(Gl::ARRAY_BUFFER, Some(&buffer));
    let total =
        i32::try_from(values.len() * B).map_err(|_| "too many points for a WebGL buffer")?;
    gl.buffer_data_with_i32(Gl::ARRAY_BUFFER, total, Gl::STATIC_DRAW);
    let mut chunk = Vec::with_capacity(CHUNK * B);
    for (k, part) in values.chunks(CHUNK).enumerate() {
        chunk.clear();
        chunk.extend(part.iter().flat_map(|&v| bytes(v)));
        gl.buffer_sub_data_with_i32_and_u8_array(Gl::ARRAY_BUFFER, (k * CHUNK * B) as i32, &chunk);
    }
    gl.enable_vertex_attrib_array(index);
    gl.vertex_attrib_pointer_with_i32(index, size, ty, normalized, 0, 0);
    Ok(())
}

fn compile(gl: &Gl, kind: u32, source: &str) -> Result<WebGlShader, String> {
    let sh = gl.create_shader(kind).ok_or("no WebGL shader")?;
    gl.shader_source(&sh, source);
    gl.compile_shader(&sh);
    let (status, log) = (
        gl.get_shader_parameter(&sh, Gl::COMPILE_STATUS),
        gl.get_shader_info_log(&sh),
    );
    checked(sh, status, "shader", log)
}

fn link(gl: &Gl) -> Result<WebGlProgram, String> {
    let p = gl.create_program().ok_or("no WebGL program")?;
    gl.attach_shader(&p, &compile(gl, Gl::VERTEX_SHADER, VERTEX)?);
    gl.attach_shader(&p, &compile(gl, Gl::FRAGMENT_SHADER, FRAGMENT)?);
    gl.link_program(&p);
    let (status, log) = (
        gl.get_program_parameter(&p, Gl::LINK_STATUS),
        gl.get_program_info_log(&p),
    );
    checked(p, status, "program", log)
}

/// `value` when WebGL says `status` true, else an error with its log.
fn checked<T>(
    value: T,
    status: wasm_bindgen::JsValue,
    what: &str,
    log: Option<String>,
) -> Result<T, String> {
    if status.as_bool().unwrap_or(false) {
        Ok(value)
    } else {
        Err(format!("WebGL2 {what}: {}", log.unwrap_or_default()))
    }
}
