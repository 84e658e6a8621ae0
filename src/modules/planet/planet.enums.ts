export enum PlanetRole {
  ADMIN = 'ADMIN',
  MEMBER = 'MEMBER',
}
