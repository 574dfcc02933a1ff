//! The commands the UI invokes: each takes its arguments, calls one core function and returns
//! its result. All run off the UI thread (`async`), since all touch the database.

mod allocation;
mod arrival;
mod attendees;
mod audit;
mod badges;
mod desk;
mod event;
mod lists;
mod programme;

pub use allocation::*;
pub use arrival::*;
pub use attendees::*;
pub use audit::*;
pub use badges::*;
use delegate_desk::Error;
pub use desk::*;
pub use event::*;
pub use lists::*;
pub use programme::*;

type Res<T> = Result<T, Error>;
